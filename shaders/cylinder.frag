// (common.glsl is prepended) Ray against an open cylinder, exact depth.
uniform float u_bond_radius;

flat in vec3 v_a;
flat in vec4 v_axis;
flat in vec3 v_ca;
flat in vec3 v_cb;
out vec4 frag;

void main()
{
    vec3 o, d;
    pixel_ray(o, d);
    vec3 w = v_axis.xyz;
    vec3 oc = o - v_a;
    vec3 dd = d - dot(d, w) * w;
    vec3 oo = oc - dot(oc, w) * w;
    float A = dot(dd, dd);
    if (A < 1e-8)
        discard;
    float B = dot(dd, oo);
    float C = dot(oo, oo) - u_bond_radius * u_bond_radius;
    float disc = B * B - A * C;
    if (disc < 0.0)
        discard;
    float t = (-B - sqrt(disc)) / A;
    vec3 h = o + t * d;
    float y = dot(h - v_a, w);
    if (y < 0.0 || y > v_axis.w)
        discard;
    vec3 n = (h - v_a - y * w) / u_bond_radius;
    vec3 base = y < 0.5 * v_axis.w ? v_ca : v_cb;
    frag = vec4(shade(base, n, -d), 1.0);
    gl_FragDepth = depth_of(h.z);
}
