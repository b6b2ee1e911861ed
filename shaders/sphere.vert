#version 300 es
// One per atom, ray-cast in sphere.frag. Built with MISI_POINTS 1 (only
// orthographic, impostor.c) the atom is one point sprite whose square is the
// sphere's bounds; with MISI_POINTS 0 it is an instance of a screen-aligned
// quad over the exact bounds of its projection (both projections). The two
// cover the same pixels; the point is one primitive instead of two
// triangles, so llvmpipe sets up half as many and shades no 4x4 block twice
// along a diagonal (~3 % of its CPU per image).
precision highp float;

#if MISI_POINTS == 0
layout(location = 0) in vec2 a_corner;   // (-1|1, -1|1)
#endif
layout(location = 1) in vec4 a_sphere;   // world centre (Å), radius (Å)
layout(location = 2) in vec4 a_color;    // rgba8 normalised

uniform mat3 u_rot;     // R
uniform vec3 u_centre;  // c
uniform vec3 u_trans;   // T
uniform vec2 u_tile_size;
uniform float u_scale;
uniform float u_eye;

flat out vec4 v_sphere;  // view-space centre, radius
flat out vec3 v_color;

void main()
{
    vec3 s = u_rot * (a_sphere.xyz - u_centre) + u_trans;
    float r = a_sphere.w;
    v_sphere = vec4(s, r);
    v_color = a_color.rgb;
#if MISI_POINTS
    // The square of the quad below, margin included. OpenGL ES clips points
    // only at the near and far planes, so one whose centre is outside the
    // tile still draws its part inside (the scissor keeps the tile).
    gl_PointSize = 2.0 * (r * u_scale + 0.125);
    gl_Position = vec4(s.xy * u_scale / (0.5 * u_tile_size), 0.0, 1.0);
#else
    vec2 lo, hi;
    if (MISI_PERSPECTIVE == 0) {
        lo = s.xy - vec2(r);
        hi = s.xy + vec2(r);
    } else {
        // Tangent lines from the eye to the circle in the xz and yz planes
        // give the exact screen bounds of the sphere.
        float dz = u_eye - s.z;
        vec2 b[2];
        for (int k = 0; k < 2; k++) {
            float dx = s[k];
            float L = sqrt(dx * dx + dz * dz);
            if (L <= r * 1.0001 || dz <= 0.0) {
                gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // eye inside or behind: cull
                return;
            }
            float th = atan(dx, dz);
            float a = asin(r / L);
            float t0 = clamp(th - a, -1.5, 1.5), t1 = clamp(th + a, -1.5, 1.5);
            b[k] = vec2(u_eye * tan(t0), u_eye * tan(t1));
        }
        lo = vec2(b[0].x, b[1].x);
        hi = vec2(b[0].y, b[1].y);
    }
    // Bounds in render pixels plus an eighth of a pixel against rounding.
    // The bounds are exact, so a wider margin only adds fragments that
    // discard (a whole pixel cost ~4 % more CPU on llvmpipe, same bytes).
    vec2 plo = lo * u_scale - vec2(0.125), phi = hi * u_scale + vec2(0.125);
    vec2 p = mix(plo, phi, a_corner * 0.5 + 0.5);
    gl_Position = vec4(p / (0.5 * u_tile_size), 0.0, 1.0);
#endif
}
