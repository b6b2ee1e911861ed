#version 300 es
// One instance per bond, ray-cast in cylinder.frag: in orthographic views a
// screen-aligned quad over the cylinder's projection, in perspective the box
// around it (open ends; they lie inside the atoms' spheres). Each half is
// coloured like its atom.
precision highp float;

layout(location = 0) in vec3 a_corner;   // (-1|1)^3 over the box; (-1|1, -1|1, 0) over the quad
layout(location = 1) in vec4 a_pa;       // world positions of the two atoms, their sphere radii
layout(location = 2) in vec4 a_pb;
layout(location = 3) in vec4 a_ca;       // their colours
layout(location = 4) in vec4 a_cb;

uniform mat3 u_rot;
uniform vec3 u_centre;
uniform vec3 u_trans;
uniform vec2 u_tile_size;
uniform float u_scale;
uniform float u_eye;
uniform float u_bond_radius;

flat out vec3 v_a;
flat out vec4 v_axis;   // unit axis, length
flat out vec3 v_ca;
flat out vec3 v_cb;

void main()
{
    vec3 sa = u_rot * (a_pa.xyz - u_centre) + u_trans;
    vec3 sb = u_rot * (a_pb.xyz - u_centre) + u_trans;
    vec3 u = sb - sa;
    float len = length(u);
    vec3 w = len > 0.0 ? u / len : vec3(0.0, 0.0, 1.0);
    vec3 t = abs(w.x) < 0.9 ? vec3(1.0, 0.0, 0.0) : vec3(0.0, 1.0, 0.0);
    vec3 e1 = normalize(cross(w, t));
    vec3 e2 = cross(w, e1);
    // The stretch of the cylinder within y < sqrt(ra^2 - R^2) of an end lies
    // inside that end's sphere, so the sphere's surface hides it from every
    // direction: the box covers only the part between the two spheres (in
    // ball-and-stick about half of the bond's length), which leaves every
    // visible pixel as it was and skips fragments that could only fail the
    // depth test (docs/rendering.md "Impostors").
    float R2 = u_bond_radius * u_bond_radius;
    float ya = sqrt(max(a_pa.w * a_pa.w - R2, 0.0));
    float yb = len - sqrt(max(a_pb.w * a_pb.w - R2, 0.0));
    if (yb <= ya) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // wholly inside the spheres: nothing to draw
        return;
    }
    float m = 0.125 / u_scale;  // an eighth of a render pixel, against rounding
    vec2 q;
    if (MISI_PERSPECTIVE == 0) {
        // Orthographic: a screen-aligned rectangle over the exact projection
        // of the stretch [ya, yb]. Along its projected axis a the end
        // circles reach R |w.z| past the ends, across it R; a box around the
        // cylinder would cover up to sqrt(2) R across, in three faces of
        // two triangles each (a corner is (-1|1, -1|1) here: the quad).
        vec2 a = length(w.xy) > 1e-6 ? normalize(w.xy) : vec2(1.0, 0.0);
        vec2 b = vec2(-a.y, a.x);
        vec2 pa = (sa + ya * w).xy, pb = (sa + yb * w).xy;
        float ta = dot(pa, a), tb = dot(pb, a), along = u_bond_radius * abs(w.z) + m;
        float lo = min(ta, tb) - along, hi = max(ta, tb) + along;
        float across = u_bond_radius + m;
        vec2 p = mix(lo, hi, a_corner.x * 0.5 + 0.5) * a + (dot(pa, b) + a_corner.y * across) * b;
        q = p * u_scale;
    } else {
        // The box holds the cylinder, so its projection covers every pixel
        // whose ray meets it; an eighth of a render pixel more (at z = 0; a
        // little less behind it in perspective) guards against rounding.
        float r = u_bond_radius + m;
        vec3 p = sa + (0.5 * (ya + yb) + a_corner.x * (0.5 * (yb - ya) + m)) * w
               + a_corner.y * r * e1 + a_corner.z * r * e2;
        float dz = max(u_eye - p.z, 1e-3);
        q = p.xy * (u_eye / dz) * u_scale;
    }
    gl_Position = vec4(q / (0.5 * u_tile_size), 0.0, 1.0);
    v_a = sa;
    v_axis = vec4(w, len);
    v_ca = a_ca.rgb;
    v_cb = a_cb.rgb;
}
