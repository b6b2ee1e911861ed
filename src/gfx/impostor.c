/* The molecule pass: spheres and cylinders as ray-cast impostors, one
 * point sprite (orthographic views) or quad instance per atom, one quad
 * (orthographic) or box (perspective) instance per bond (shaders/sphere.*,
 * shaders/cylinder.*).
 * Instance buffers hold (centre, radius, colour) per atom and (end a and its
 * sphere's radius, end b and its radius, colour a, colour b) per bond; no
 * per-atom geometry is built. Fragments write gl_FragDepth from the exact
 * hit, so spheres and cylinders intersect and occlude exactly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gfx/gfx_internal.h"

typedef struct cam_loc {
    GLint rot, centre, trans, tile_origin, tile_size, scale, eye, zrange, bond_radius;
} cam_loc;

typedef struct gpu_atom {
    float x, y, z, r;
    uint8_t rgba[4];
} gpu_atom;

typedef struct gpu_bond {
    float pa[4], pb[4]; /* centre, sphere radius */
    uint8_t ca[4], cb[4];
} gpu_bond;

/* The programs, one per projection and sphere primitive (built from the
 * same files with defines: shader.c). Points only in orthographic: there the
 * sphere's bounds are a square around its centre. */
enum { SPHERE_ORTHO_POINTS, SPHERE_ORTHO_QUADS, SPHERE_PERSPECTIVE, SPHERE_PROGRAMS };
enum { CYL_ORTHO, CYL_PERSPECTIVE, CYL_PROGRAMS };

struct gfx_impostors {
    GLuint prog_sphere[SPHERE_PROGRAMS], prog_cyl[CYL_PROGRAMS];
    cam_loc loc_sphere[SPHERE_PROGRAMS], loc_cyl[CYL_PROGRAMS];
    GLuint vao_sphere, vao_points, vao_cyl, vao_cyl_quad;
    GLuint vbo_quad, vbo_cube, vbo_atoms, vbo_bonds;
    GLsizei natoms, nbonds;
    float bond_radius;
    float max_radius;     /* largest atom radius of the scene (Å) */
    float max_point_size; /* the implementation's, in pixels */
};

static const float QUAD[] = {-1, -1, 1, -1, -1, 1, 1, 1};
/* The 14-vertex triangle strip over the cube [-1, 1]^3. */
static const float CUBE_STRIP[] = {
    -1, 1, 1, 1,  1, 1,  -1, -1, 1, 1,  -1, 1,  1, -1, -1, 1,  1, 1,  1, 1, -1,
    -1, 1, 1, -1, 1, -1, -1, -1, 1, -1, -1, -1, 1, -1, -1, -1, 1, -1, 1, 1, -1,
};

static void get_cam_loc(GLuint prog, cam_loc *l)
{
    l->rot = glGetUniformLocation(prog, "u_rot");
    l->centre = glGetUniformLocation(prog, "u_centre");
    l->trans = glGetUniformLocation(prog, "u_trans");
    l->tile_origin = glGetUniformLocation(prog, "u_tile_origin");
    l->tile_size = glGetUniformLocation(prog, "u_tile_size");
    l->scale = glGetUniformLocation(prog, "u_scale");
    l->eye = glGetUniformLocation(prog, "u_eye");
    l->zrange = glGetUniformLocation(prog, "u_zrange");
    l->bond_radius = glGetUniformLocation(prog, "u_bond_radius");
}

static void set_cam(const cam_loc *l, const gfx_view_uniforms *u)
{
    glUniformMatrix3fv(l->rot, 1, GL_TRUE, u->rot);
    glUniform3fv(l->centre, 1, u->centre);
    glUniform3fv(l->trans, 1, u->trans);
    glUniform2f(l->tile_origin, u->tile_origin[0], u->tile_origin[1]);
    glUniform2f(l->tile_size, u->tile_size[0], u->tile_size[1]);
    glUniform1f(l->scale, u->scale);
    glUniform1f(l->eye, u->eye);
    glUniform2f(l->zrange, u->zrange[0], u->zrange[1]);
    glUniform1f(l->bond_radius, u->bond_radius);
}

static void instanced(GLuint loc, GLint n, GLenum type, GLboolean norm, GLsizei stride, size_t off)
{
    glEnableVertexAttribArray(loc);
    glVertexAttribPointer(loc, n, type, norm, stride, (const void *)off);
    glVertexAttribDivisor(loc, 1);
}

static void setup_vaos(gfx_impostors *im)
{
    glGenBuffers(1, &im->vbo_quad);
    glBindBuffer(GL_ARRAY_BUFFER, im->vbo_quad);
    glBufferData(GL_ARRAY_BUFFER, sizeof QUAD, QUAD, GL_STATIC_DRAW);
    glGenBuffers(1, &im->vbo_cube);
    glBindBuffer(GL_ARRAY_BUFFER, im->vbo_cube);
    glBufferData(GL_ARRAY_BUFFER, sizeof CUBE_STRIP, CUBE_STRIP, GL_STATIC_DRAW);
    glGenBuffers(1, &im->vbo_atoms);
    glGenBuffers(1, &im->vbo_bonds);

    glGenVertexArrays(1, &im->vao_sphere);
    glBindVertexArray(im->vao_sphere);
    glBindBuffer(GL_ARRAY_BUFFER, im->vbo_quad);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, 0);
    glBindBuffer(GL_ARRAY_BUFFER, im->vbo_atoms);
    instanced(1, 4, GL_FLOAT, GL_FALSE, sizeof(gpu_atom), 0);
    instanced(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(gpu_atom), offsetof(gpu_atom, rgba));

    /* Points: the same atom records, one vertex each. */
    glGenVertexArrays(1, &im->vao_points);
    glBindVertexArray(im->vao_points);
    glBindBuffer(GL_ARRAY_BUFFER, im->vbo_atoms);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, sizeof(gpu_atom), 0);
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(gpu_atom),
                          (const void *)offsetof(gpu_atom, rgba));

    /* Bonds: the box (perspective) or the quad (orthographic) per instance. */
    GLuint *vaos[2] = {&im->vao_cyl, &im->vao_cyl_quad};
    for (int i = 0; i < 2; i++) {
        glGenVertexArrays(1, vaos[i]);
        glBindVertexArray(*vaos[i]);
        glBindBuffer(GL_ARRAY_BUFFER, i == 0 ? im->vbo_cube : im->vbo_quad);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, i == 0 ? 3 : 2, GL_FLOAT, GL_FALSE, 0, 0);
        glBindBuffer(GL_ARRAY_BUFFER, im->vbo_bonds);
        instanced(1, 4, GL_FLOAT, GL_FALSE, sizeof(gpu_bond), offsetof(gpu_bond, pa));
        instanced(2, 4, GL_FLOAT, GL_FALSE, sizeof(gpu_bond), offsetof(gpu_bond, pb));
        instanced(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(gpu_bond), offsetof(gpu_bond, ca));
        instanced(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(gpu_bond), offsetof(gpu_bond, cb));
    }
    glBindVertexArray(0);
}

static const char *const SPHERE_DEFINES[SPHERE_PROGRAMS] = {
    [SPHERE_ORTHO_POINTS] = "#define MISI_PERSPECTIVE 0\n#define MISI_POINTS 1\n",
    [SPHERE_ORTHO_QUADS] = "#define MISI_PERSPECTIVE 0\n#define MISI_POINTS 0\n",
    [SPHERE_PERSPECTIVE] = "#define MISI_PERSPECTIVE 1\n#define MISI_POINTS 0\n",
};
static const char *const CYL_DEFINES[CYL_PROGRAMS] = {
    [CYL_ORTHO] = "#define MISI_PERSPECTIVE 0\n",
    [CYL_PERSPECTIVE] = "#define MISI_PERSPECTIVE 1\n",
};

static void delete_programs(gfx_impostors *im)
{
    for (int i = 0; i < SPHERE_PROGRAMS; i++)
        glDeleteProgram(im->prog_sphere[i]); /* 0 is ignored */
    for (int i = 0; i < CYL_PROGRAMS; i++)
        glDeleteProgram(im->prog_cyl[i]);
}

int gfx_impostors_create(gfx_impostors **out, const misi_gfx_info *info, misi_error *err)
{
    gfx_impostors *im = calloc(1, sizeof *im);
    int rc = 0;
    *out = NULL;
    if (!im)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (int i = 0; i < SPHERE_PROGRAMS && rc == 0; i++) {
        rc = gfx_program("sphere.vert", "sphere.frag", SPHERE_DEFINES[i], &im->prog_sphere[i], err);
        if (rc == 0)
            get_cam_loc(im->prog_sphere[i], &im->loc_sphere[i]);
    }
    for (int i = 0; i < CYL_PROGRAMS && rc == 0; i++) {
        rc = gfx_program("cylinder.vert", "cylinder.frag", CYL_DEFINES[i], &im->prog_cyl[i], err);
        if (rc == 0)
            get_cam_loc(im->prog_cyl[i], &im->loc_cyl[i]);
    }
    if (rc) {
        delete_programs(im);
        free(im);
        return rc;
    }
    im->max_point_size = info->max_point_size;
    setup_vaos(im);
    *out = im;
    return 0;
}

void gfx_impostors_destroy(gfx_impostors *im)
{
    if (!im)
        return;
    delete_programs(im);
    GLuint vaos[] = {im->vao_sphere, im->vao_points, im->vao_cyl, im->vao_cyl_quad};
    glDeleteVertexArrays(4, vaos);
    GLuint bufs[] = {im->vbo_quad, im->vbo_cube, im->vbo_atoms, im->vbo_bonds};
    glDeleteBuffers(4, bufs);
    free(im);
}

int gfx_impostors_upload(gfx_impostors *im, const misi_scene *s, misi_error *err)
{
    gpu_atom *atoms = malloc(sizeof *atoms * (s->natoms ? s->natoms : 1));
    gpu_bond *bonds = malloc(sizeof *bonds * (s->nbonds ? s->nbonds : 1));
    if (!atoms || !bonds) {
        free(atoms);
        free(bonds);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory uploading a scene of %u atoms", s->natoms);
    }
    im->max_radius = 0;
    for (uint32_t i = 0; i < s->natoms; i++) {
        const misi_scene_atom *a = &s->atoms[i];
        if (a->radius > im->max_radius)
            im->max_radius = a->radius;
        atoms[i] =
            (gpu_atom){a->pos[0], a->pos[1], a->pos[2], a->radius, {a->rgb[0], a->rgb[1], a->rgb[2], 255}};
    }
    for (uint32_t i = 0; i < s->nbonds; i++) {
        const misi_scene_atom *a = &s->atoms[s->bonds[i].a], *b = &s->atoms[s->bonds[i].b];
        gpu_bond *g = &bonds[i];
        memcpy(g->pa, a->pos, sizeof a->pos);
        memcpy(g->pb, b->pos, sizeof b->pos);
        g->pa[3] = a->radius;
        g->pb[3] = b->radius;
        memcpy(g->ca, a->rgb, 3);
        memcpy(g->cb, b->rgb, 3);
        g->ca[3] = g->cb[3] = 255;
    }
    glBindBuffer(GL_ARRAY_BUFFER, im->vbo_atoms);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof *atoms * s->natoms), atoms, GL_STATIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, im->vbo_bonds);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof *bonds * s->nbonds), bonds, GL_STATIC_DRAW);
    free(atoms);
    free(bonds);
    im->natoms = (GLsizei)s->natoms;
    im->nbonds = s->bond_radius > 0 ? (GLsizei)s->nbonds : 0;
    im->bond_radius = s->bond_radius;
    return gfx_check("uploading a scene", err);
}

/* Can the spheres of this view be point sprites? Only orthographic ones
 * (the bounds are square there), and only while the largest point stays
 * within the implementation's limit (an atom close up may not). OpenGL ES
 * clips points only at the near and far planes, not at the sides, so an
 * atom whose centre is outside the tile still draws its part inside, as its
 * quad would (tests/gfx/test_sprites.c). */
static bool points_fit(const gfx_impostors *im, const gfx_view_uniforms *u)
{
    if (u->persp)
        return false;
    float side = 2.0f * (im->max_radius * u->scale + 0.125f);
    /* A pixel of slack: the shader computes the same side in its own float. */
    return side + 1.0f <= im->max_point_size;
}

bool gfx_impostors_draw(gfx_impostors *im, const gfx_view_uniforms *u, bool allow_points)
{
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDisable(GL_BLEND);
    bool points = allow_points && points_fit(im, u);
    if (points) {
        glUseProgram(im->prog_sphere[SPHERE_ORTHO_POINTS]);
        set_cam(&im->loc_sphere[SPHERE_ORTHO_POINTS], u);
        glBindVertexArray(im->vao_points);
        glDrawArrays(GL_POINTS, 0, im->natoms);
    } else {
        int which = u->persp ? SPHERE_PERSPECTIVE : SPHERE_ORTHO_QUADS;
        glUseProgram(im->prog_sphere[which]);
        set_cam(&im->loc_sphere[which], u);
        glBindVertexArray(im->vao_sphere);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, im->natoms);
    }
    if (im->nbonds) {
        int which = u->persp ? CYL_PERSPECTIVE : CYL_ORTHO;
        glUseProgram(im->prog_cyl[which]);
        set_cam(&im->loc_cyl[which], u);
        if (u->persp) {
            glBindVertexArray(im->vao_cyl);
            /* Only the box faces toward the viewer (or only those away:
             * either set covers the box's projection), at half the fragments. */
            glEnable(GL_CULL_FACE);
            glCullFace(GL_BACK);
            glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 14, im->nbonds);
            glDisable(GL_CULL_FACE);
        } else {
            glBindVertexArray(im->vao_cyl_quad);
            glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, im->nbonds);
        }
    }
    glBindVertexArray(0);
    return points;
}
