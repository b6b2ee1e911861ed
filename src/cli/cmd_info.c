/* misi info: the EGL devices found, the one chosen, and the OpenGL ES
 * renderer's strings and limits, as text or JSON. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/render.h"
#include "misi_config.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: misi info [--json] [--device N]\n"
               "\n"
               "Lists the EGL devices, opens an OpenGL ES 3 context on one (automatic:\n"
               "hardware first, then Mesa's software device, then the surfaceless\n"
               "platform; --device N picks the N-th listed, from 1) and prints the GL\n"
               "renderer, version and limits.\n"
               "\n"
               "Exit status: 0 with a context, 1 when none could be made, 2 on a usage error.\n");
}

static cJSON *info_json(const misi_gfx_info *info, const misi_renderer *r, const char *error)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "misi_version", MISI_VERSION);
    cJSON *devs = cJSON_AddArrayToObject(o, "devices");
    for (int i = 0; i < info->ndevices; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "index", i + 1);
        cJSON_AddStringToObject(d, "name", info->devices[i].name);
        cJSON_AddBoolToObject(d, "software", info->devices[i].software);
        cJSON_AddStringToObject(d, "extensions", info->devices[i].extensions);
        cJSON_AddItemToArray(devs, d);
    }
    if (error) {
        cJSON_AddStringToObject(o, "error", error);
        return o;
    }
    cJSON_AddNumberToObject(o, "chosen", info->chosen);
    cJSON_AddStringToObject(o, "platform", info->platform);
    cJSON *egl = cJSON_AddObjectToObject(o, "egl");
    cJSON_AddStringToObject(egl, "version", info->egl_version);
    cJSON_AddStringToObject(egl, "vendor", info->egl_vendor);
    cJSON *gl = cJSON_AddObjectToObject(o, "gl");
    cJSON_AddStringToObject(gl, "vendor", info->gl_vendor);
    cJSON_AddStringToObject(gl, "renderer", info->gl_renderer);
    cJSON_AddStringToObject(gl, "version", info->gl_version);
    cJSON_AddStringToObject(gl, "glsl_version", info->glsl_version);
    cJSON *lim = cJSON_AddObjectToObject(o, "limits");
    cJSON_AddNumberToObject(lim, "max_texture_size", info->max_texture_size);
    cJSON_AddNumberToObject(lim, "max_renderbuffer_size", info->max_renderbuffer_size);
    cJSON_AddNumberToObject(lim, "max_samples", info->max_samples);
    cJSON_AddNumberToObject(lim, "max_viewport_width", info->max_viewport[0]);
    cJSON_AddNumberToObject(lim, "max_viewport_height", info->max_viewport[1]);
    cJSON_AddNumberToObject(lim, "max_point_size", info->max_point_size);
    cJSON_AddNumberToObject(lim, "max_color_attachments", info->max_color_attachments);
    cJSON_AddNumberToObject(lim, "max_vertex_attribs", info->max_vertex_attribs);
    cJSON_AddNumberToObject(lim, "max_texture_units", info->max_texture_units);
    cJSON_AddBoolToObject(lim, "sample_shading", info->sample_shading);
    misi_render_params p = {0};
    cJSON_AddNumberToObject(o, "batch_tiles_512_aa2", misi_render_batch_size(r, &p));
    return o;
}

static void print_devices(const misi_gfx_info *info)
{
    printf("EGL devices: %d\n", info->ndevices);
    for (int i = 0; i < info->ndevices; i++)
        printf("  %d: %s%s\n      %s\n", i + 1, info->devices[i].name,
               info->devices[i].software ? " [software]" : "", info->devices[i].extensions);
}

int cmd_info(int argc, char **argv)
{
    bool json = false;
    misi_renderer_desc desc = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--device") && i + 1 < argc) {
            char *end;
            long d = strtol(argv[++i], &end, 10);
            if (*end || d < 1 || d > MISI_GFX_MAX_DEVICES) {
                fprintf(stderr, "misi info: --device wants a number from 1 (see the list)\n");
                return MISI_EXIT_USAGE;
            }
            desc.device = (int)d;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return MISI_EXIT_OK;
        } else {
            fprintf(stderr, "misi info: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return MISI_EXIT_USAGE;
        }
    }
    misi_error err = {0};
    misi_renderer *r = NULL;
    int rc = misi_renderer_create(&desc, &r, &err);
    misi_gfx_info devices;
    if (rc)
        misi_gfx_enumerate(&devices, NULL);
    const misi_gfx_info *info = rc ? &devices : misi_renderer_info(r);
    if (json) {
        cJSON *o = info_json(info, r, rc ? err.msg : NULL);
        char *s = cJSON_Print(o);
        puts(s);
        free(s);
        cJSON_Delete(o);
    } else {
        print_devices(info);
        if (rc) {
            fprintf(stderr, "misi info: %s\n", err.msg);
        } else {
            misi_render_params p = {0};
            printf("chosen: %s (platform %s)\n",
                   info->chosen ? info->devices[info->chosen - 1].name : "surfaceless", info->platform);
            printf("EGL %s (%s)\n", info->egl_version, info->egl_vendor);
            printf("GL vendor:   %s\nGL renderer: %s\nGL version:  %s\nGLSL:        %s\n", info->gl_vendor,
                   info->gl_renderer, info->gl_version, info->glsl_version);
            printf("limits: max texture %d, max renderbuffer %d, max samples %d, max viewport %dx%d,\n"
                   "        colour attachments %d, vertex attribs %d, texture units %d, sample shading %s,\n"
                   "        max point size %g\n",
                   info->max_texture_size, info->max_renderbuffer_size, info->max_samples,
                   info->max_viewport[0], info->max_viewport[1], info->max_color_attachments,
                   info->max_vertex_attribs, info->max_texture_units, info->sample_shading ? "yes" : "no",
                   (double)info->max_point_size);
            printf("batch: %d tiles of 512x512 at 2x supersampling per pass\n",
                   misi_render_batch_size(r, &p));
        }
    }
    misi_renderer_destroy(r);
    return rc ? MISI_EXIT_FAIL : MISI_EXIT_OK;
}
