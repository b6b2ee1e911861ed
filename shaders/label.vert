#version 300 es
// Labels: quads placed on the CPU (src/gfx/label_layout.c) in the tile's
// pixels, lower-left origin: one instance per glyph, per backing box (paper
// look) and per leader line. A quad is origin + x * e1 + y * e2, so leader
// lines may slant. Drawn on the resolved image at the output resolution.
precision highp float;

layout(location = 0) in vec2 a_corner;  // (0|1, 0|1)
layout(location = 1) in vec2 a_origin;  // tile pixels, y up
layout(location = 2) in vec4 a_edges;   // e1.xy, e2.xy
layout(location = 3) in vec4 a_uv;      // glyph: u0 v0 u1 v1 of the atlas; solid: rgba; leader: its ends
layout(location = 4) in vec2 a_kind;    // x: 0 glyph, 1 solid, 2 leader; y: 1 = the glyph gets a dark outline

uniform vec2 u_tile_size; // output pixels

out vec2 v_uv;
flat out vec4 v_col;
flat out vec2 v_kind;

void main()
{
    vec2 p = a_origin + a_corner.x * a_edges.xy + a_corner.y * a_edges.zw;
    gl_Position = vec4((p / u_tile_size) * 2.0 - 1.0, 0.0, 1.0);
    v_uv = mix(a_uv.xy, a_uv.zw, a_corner);
    v_col = a_uv;
    v_kind = a_kind;
}
