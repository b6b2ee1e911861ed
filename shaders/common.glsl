#version 300 es
// Shared by every impostor fragment shader: the camera uniforms, the ray of
// the current pixel and the shading. Prepended to sphere.frag and cylinder.frag.
precision highp float;
precision highp int;

uniform vec2 u_tile_origin;  // render pixels, window coordinates of the tile's lower-left
uniform vec2 u_tile_size;    // render pixels
uniform float u_scale;       // render pixels per Å at z = 0 (includes m for ortho)
// The projection is fixed per program (MISI_PERSPECTIVE 0 or 1, defined by
// impostor.c): in the orthographic programs the ray direction and the
// half-vector of the shading are constants, which saves llvmpipe ~6 % of
// its CPU per image against a uniform branch.
const bool PERSPECTIVE = MISI_PERSPECTIVE != 0;
uniform float u_eye;         // eye distance D (Å)
uniform vec2 u_zrange;       // view-space z mapped to depth 1 (x) .. 0 (y)

// Ray of this pixel in view space (Å): origin o, direction d (unit).
void pixel_ray(out vec3 o, out vec3 d)
{
    vec2 q = (gl_FragCoord.xy - u_tile_origin - 0.5 * u_tile_size) / u_scale;
    if (!PERSPECTIVE) {
        o = vec3(q, u_zrange.y + 1.0);
        d = vec3(0.0, 0.0, -1.0);
    } else {
        // Start the ray just in front of the scene rather than at the eye:
        // short origin-to-centre vectors keep the quadratics precise in float.
        d = normalize(vec3(q, -u_eye));
        float z0 = min(u_zrange.y + 1.0, u_eye);
        o = vec3(q, 0.0) + d * (z0 / d.z);
    }
}

float depth_of(float z)
{
    return clamp((u_zrange.y - z) / (u_zrange.y - u_zrange.x), 0.0, 1.0);
}

// Headlight-ish key light from the upper left front; ambient keeps the
// element colour readable everywhere.
vec3 shade(vec3 base, vec3 n, vec3 v)
{
    const vec3 L = vec3(-0.267261, 0.534522, 0.801784); // normalize(-1, 2, 3)
    float diff = max(dot(n, L), 0.0);
    vec3 h = normalize(L + v);
    // x^40 by squaring (x^32 * x^8): a software rasteriser evaluates pow as
    // exp2(40 * log2(x)), two polynomials per pixel.
    float s1 = max(dot(n, h), 0.0), s2 = s1 * s1, s4 = s2 * s2, s8 = s4 * s4;
    float s16 = s8 * s8, s32 = s16 * s16;
    float spec = s32 * s8;
    return clamp(base * (0.35 + 0.65 * diff) + vec3(0.25 * spec), 0.0, 1.0);
}
