#version 300 es
// Glyph coverage from the font atlas (R8) in white, premultiplied (blend
// ONE, ONE_MINUS_SRC_ALPHA). An outlined glyph also darkens the pixels
// next to its ink, diagonals included (the halo: the atlas keeps glyphs apart by
// more than that), so text reads over any atom colour without a box over
// the molecule. Solid quads (paper backing boxes, leader lines) carry their
// colour. Leader lines are drawn as their whole-pixel bounding box, each
// pixel's coverage from its centre's distance to the segment in tile pixels
// (gl_FragCoord minus the tile's origin), so a tile gives the same bytes
// wherever it sits in the batch framebuffer (a slanted quad's edges would
// round differently at other offsets).
precision highp float;
uniform highp sampler2D u_atlas;
uniform vec2 u_tile_origin; // framebuffer pixels
in vec2 v_uv;
flat in vec4 v_col;
flat in vec2 v_kind;
out vec4 frag;
void main()
{
    if (v_kind.x > 1.5) {
        vec2 p = gl_FragCoord.xy - u_tile_origin, a = v_col.xy, b = v_col.zw, ab = b - a;
        float t = clamp(dot(p - a, ab) / max(dot(ab, ab), 1e-6), 0.0, 1.0);
        float d = length(a + t * ab - p);
        float c = 0.9 * clamp(1.25 - d, 0.0, 1.0); // 1.5 px wide, antialiased
        if (c <= 0.0)
            discard;
        frag = vec4(vec3(0.85 * c), c);
        return;
    }
    if (v_kind.x > 0.5) {
        frag = vec4(v_col.rgb * v_col.a, v_col.a);
        return;
    }
    float a = texture(u_atlas, v_uv).r;
    float h = a;
    if (v_kind.y > 0.5) {
        vec2 t = 1.0 / vec2(textureSize(u_atlas, 0));
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                    h = max(h, texture(u_atlas, v_uv + vec2(float(dx), float(dy)) * t).r);
        h = min(1.0, 1.5 * h);
    }
    frag = vec4(vec3(a), max(a, 0.9 * h));
}
