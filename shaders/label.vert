#version 300 es
// Labels: one instance per glyph (and one backing box per label), placed in
// pixels around the projected anchor and clamped inside the tile so a label
// is never clipped. Drawn on the resolved image: "render pixels" below are
// output pixels (u_k = 1).
precision highp float;

layout(location = 0) in vec2 a_corner;   // (0|1, 0|1)
layout(location = 1) in vec3 a_anchor;   // world position the label belongs to
layout(location = 2) in vec4 a_rect;     // quad offset (x, y) from the label's lower-left, size (w, h), render pixels
layout(location = 3) in vec4 a_uv;       // atlas rectangle u0 v0 u1 v1; u0 < 0: solid box
layout(location = 4) in vec2 a_box;      // the whole label's size, render pixels

uniform mat3 u_rot;
uniform vec3 u_centre;
uniform vec3 u_trans;
uniform vec2 u_tile_size;   // render pixels
uniform float u_scale;      // render pixels per Å
uniform int u_persp;
uniform float u_eye;
uniform float u_k;          // render pixels per output pixel

out vec2 v_uv;
flat out float v_solid;

void main()
{
    vec3 s = u_rot * (a_anchor - u_centre) + u_trans;
    vec2 q = u_persp == 0 ? s.xy * u_scale : s.xy * (u_eye / max(u_eye - s.z, 1e-3)) * u_scale;
    // Render pixels from the tile's lower-left corner; the origin is
    // snapped to a whole pixel so glyph texels land 1:1 on pixels, and
    // clamped one output pixel inside the tile.
    vec2 tile = u_tile_size;
    vec2 anchor = q + 0.5 * tile;
    vec2 origin = floor(anchor - 0.5 * a_box + vec2(0.5));
    origin = clamp(origin, vec2(u_k), max(tile - a_box - vec2(u_k), vec2(u_k)));
    vec2 p = origin + a_rect.xy + a_corner * a_rect.zw;
    gl_Position = vec4((p / tile) * 2.0 - 1.0, 0.0, 1.0);
    v_uv = mix(a_uv.xy, a_uv.zw, a_corner);
    v_solid = a_uv.x < 0.0 ? 1.0 : 0.0;
}
