#version 300 es
// Box filter k x k render pixels into one output pixel. Tiles start at
// multiples of k, so a block never straddles two tiles.
precision highp float;
precision highp int;
uniform highp sampler2D u_src;
uniform int u_k;
out vec4 frag;
void main()
{
    ivec2 base = ivec2(gl_FragCoord.xy) * u_k;
    vec3 sum = vec3(0.0);
    for (int j = 0; j < u_k; j++)
        for (int i = 0; i < u_k; i++)
            sum += texelFetch(u_src, base + ivec2(i, j), 0).rgb;
    frag = vec4(sum / float(u_k * u_k), 1.0);
}
