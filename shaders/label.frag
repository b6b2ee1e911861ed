#version 300 es
// Glyph coverage from the font atlas (R8) in white, premultiplied (blend
// ONE, ONE_MINUS_SRC_ALPHA). An outlined glyph also darkens the pixels
// within two texels of its ink (the halo: the atlas keeps glyphs apart by
// more than that), so text reads over any atom colour without a box over
// the molecule. Solid quads (paper backing boxes, leader lines) carry their
// colour.
precision highp float;
uniform highp sampler2D u_atlas;
in vec2 v_uv;
flat in vec4 v_col;
flat in vec2 v_kind;
out vec4 frag;
void main()
{
    if (v_kind.x > 0.5) {
        frag = vec4(v_col.rgb * v_col.a, v_col.a);
        return;
    }
    float a = texture(u_atlas, v_uv).r;
    float h = a;
    if (v_kind.y > 0.5) {
        vec2 t = 1.0 / vec2(textureSize(u_atlas, 0));
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
                if (dx * dx + dy * dy <= 5)
                    h = max(h, texture(u_atlas, v_uv + vec2(float(dx), float(dy)) * t).r);
        h = min(1.0, 1.5 * h);
    }
    frag = vec4(vec3(a), max(a, 0.9 * h));
}
