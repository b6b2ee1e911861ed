// (common.glsl is prepended) Ray-sphere intersection with exact depth.
flat in vec4 v_sphere;
flat in vec3 v_color;
out vec4 frag;

void main()
{
    vec3 o, d;
    pixel_ray(o, d);
    vec3 oc = o - v_sphere.xyz;
    float b = dot(oc, d);
    float c = dot(oc, oc) - v_sphere.w * v_sphere.w;
    float disc = b * b - c;
    if (disc < 0.0)
        discard;
    float t = -b - sqrt(disc);
    vec3 h = o + t * d;
    vec3 n = (h - v_sphere.xyz) / v_sphere.w;
    frag = vec4(shade(v_color, n, -d), 1.0);
    gl_FragDepth = depth_of(h.z);
}
