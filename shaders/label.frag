#version 300 es
// Glyph coverage from the font atlas (R8) in white; backing boxes dark and
// translucent so text stays legible over any atom colour.
precision highp float;
uniform highp sampler2D u_atlas;
in vec2 v_uv;
flat in float v_solid;
out vec4 frag;
void main()
{
    if (v_solid > 0.5) {
        frag = vec4(0.0, 0.0, 0.0, 0.55);
        return;
    }
    float a = texture(u_atlas, v_uv).r;
    frag = vec4(1.0, 1.0, 1.0, a);
}
