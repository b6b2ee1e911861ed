/* EGL without a window: enumerate devices (EGL_EXT_device_enumeration),
 * open one through EGL_EXT_platform_device (hardware preferred, Mesa's
 * software device next, EGL_MESA_platform_surfaceless last), and create an
 * OpenGL ES 3 context that renders only into framebuffer objects.
 * Never touches X11 or Wayland. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx/gfx_internal.h"

/* EGL hands out one EGLDisplay per device and eglTerminate is not counted:
 * terminating it under a second renderer on the same device would kill
 * that renderer's context. Count users per display and terminate at zero. */
static pthread_mutex_t display_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    EGLDisplay dpy;
    int refs;
} displays[MISI_GFX_MAX_DEVICES + 1];

static void display_acquire(EGLDisplay d)
{
    pthread_mutex_lock(&display_lock);
    int free_slot = -1;
    for (int i = 0; i <= MISI_GFX_MAX_DEVICES; i++) {
        if (displays[i].refs > 0 && displays[i].dpy == d) {
            displays[i].refs++;
            pthread_mutex_unlock(&display_lock);
            return;
        }
        if (displays[i].refs == 0 && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0) {
        displays[free_slot].dpy = d;
        displays[free_slot].refs = 1;
    }
    pthread_mutex_unlock(&display_lock);
}

static void display_release(EGLDisplay d)
{
    bool last = true;
    pthread_mutex_lock(&display_lock);
    for (int i = 0; i <= MISI_GFX_MAX_DEVICES; i++) {
        if (displays[i].refs > 0 && displays[i].dpy == d) {
            last = --displays[i].refs == 0;
            break;
        }
    }
    pthread_mutex_unlock(&display_lock);
    if (last)
        eglTerminate(d);
}

typedef struct egl_ext {
    PFNEGLQUERYDEVICESEXTPROC query_devices;
    PFNEGLQUERYDEVICESTRINGEXTPROC query_device_string;
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display;
} egl_ext;

static bool has_ext(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && (p = strstr(p, name)); p += n) {
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    }
    return false;
}

static void load_ext(egl_ext *x)
{
    memset(x, 0, sizeof *x);
    const char *ce = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!ce)
        return;
    if (has_ext(ce, "EGL_EXT_device_enumeration") || has_ext(ce, "EGL_EXT_device_base")) {
        x->query_devices = (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
        x->query_device_string = (PFNEGLQUERYDEVICESTRINGEXTPROC)eglGetProcAddress("eglQueryDeviceStringEXT");
    }
    if (has_ext(ce, "EGL_EXT_platform_base"))
        x->get_platform_display =
            (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
}

static int list_devices(const egl_ext *x, EGLDeviceEXT *devs, misi_gfx_info *info)
{
    EGLint n = 0;
    info->ndevices = 0;
    if (!x->query_devices || !x->query_device_string)
        return 0;
    if (!x->query_devices(MISI_GFX_MAX_DEVICES, devs, &n) || n < 0)
        return 0;
    for (EGLint i = 0; i < n; i++) {
        misi_gfx_device *d = &info->devices[i];
        const char *ext = x->query_device_string(devs[i], EGL_EXTENSIONS);
        const char *drm = NULL;
        memset(d, 0, sizeof *d);
        snprintf(d->extensions, sizeof d->extensions, "%s", ext ? ext : "");
        d->software = ext && has_ext(ext, "EGL_MESA_device_software");
        if (ext && has_ext(ext, "EGL_EXT_device_drm"))
            drm = x->query_device_string(devs[i], EGL_DRM_DEVICE_FILE_EXT);
        if (d->software)
            snprintf(d->name, sizeof d->name, "software (Mesa)");
        else
            snprintf(d->name, sizeof d->name, "%s", drm ? drm : "hardware device");
    }
    info->ndevices = n;
    return n;
}

int gfx_enumerate_devices(misi_gfx_info *info, misi_error *err)
{
    egl_ext x;
    EGLDeviceEXT devs[MISI_GFX_MAX_DEVICES];
    (void)err;
    load_ext(&x);
    list_devices(&x, devs, info);
    return 0;
}

static EGLDisplay open_display(const egl_ext *x, EGLDeviceEXT *devs, misi_gfx_info *info, int want,
                               int *chosen, misi_error *err)
{
    if (!x->get_platform_display) {
        misi_error_set(err, MISI_E_GL,
                       "EGL has no EGL_EXT_platform_base: cannot open a display without a window system");
        return EGL_NO_DISPLAY;
    }
    if (want > 0) {
        if (want > info->ndevices) {
            misi_error_set(err, MISI_E_USAGE, "EGL device %d requested but %d found (see 'misi info')", want,
                           info->ndevices);
            return EGL_NO_DISPLAY;
        }
        *chosen = want;
        return x->get_platform_display(EGL_PLATFORM_DEVICE_EXT, devs[want - 1], NULL);
    }
    /* Automatic: hardware devices first, then software ones.
     * MISI_EGL_PLATFORM=surfaceless skips the devices (to test the fallback). */
    const char *force = getenv("MISI_EGL_PLATFORM");
    bool skip_devices = force && !strcmp(force, "surfaceless");
    for (int pass = 0; pass < 2 && !skip_devices; pass++) {
        for (int i = 0; i < info->ndevices; i++) {
            if (info->devices[i].software != (pass == 1))
                continue;
            EGLDisplay d = x->get_platform_display(EGL_PLATFORM_DEVICE_EXT, devs[i], NULL);
            if (d == EGL_NO_DISPLAY)
                continue;
            EGLint maj, min;
            if (eglInitialize(d, &maj, &min)) {
                *chosen = i + 1;
                return d;
            }
        }
    }
    const char *ce = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (ce && has_ext(ce, "EGL_MESA_platform_surfaceless")) {
        *chosen = 0;
        return x->get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    }
    misi_error_set(err, MISI_E_GL, "no usable EGL device and no EGL_MESA_platform_surfaceless");
    return EGL_NO_DISPLAY;
}

int gfx_context_create(int device, gfx_context *gc, misi_gfx_info *info, misi_error *err)
{
    egl_ext x;
    EGLDeviceEXT devs[MISI_GFX_MAX_DEVICES];
    EGLint maj = 0, min = 0;
    int rc;

    memset(gc, 0, sizeof *gc);
    load_ext(&x);
    list_devices(&x, devs, info);

    gc->dpy = open_display(&x, devs, info, device, &gc->device, err);
    if (gc->dpy == EGL_NO_DISPLAY) {
        rc = err && err->code ? err->code : misi_error_set(err, MISI_E_GL, "eglGetPlatformDisplayEXT failed");
        goto fail;
    }
    snprintf(gc->platform, sizeof gc->platform, "%s", gc->device ? "device" : "surfaceless");
    if (!eglInitialize(gc->dpy, &maj, &min)) {
        rc = misi_error_set(err, MISI_E_GL, "eglInitialize failed (0x%x) on %s platform",
                            (unsigned)eglGetError(), gc->platform);
        goto fail_display;
    }
    display_acquire(gc->dpy);
    const char *dext = eglQueryString(gc->dpy, EGL_EXTENSIONS);
    if (!has_ext(dext, "EGL_KHR_surfaceless_context")) {
        rc = misi_error_set(err, MISI_E_GL, "EGL display lacks EGL_KHR_surfaceless_context");
        goto fail_init;
    }
    if (!eglBindAPI(EGL_OPENGL_ES_API)) {
        rc = misi_error_set(err, MISI_E_GL, "eglBindAPI(EGL_OPENGL_ES_API) failed: no OpenGL ES");
        goto fail_init;
    }
    EGLConfig cfg = (EGLConfig)0; /* EGL_NO_CONFIG_KHR */
    if (!has_ext(dext, "EGL_KHR_no_config_context")) {
        const EGLint want[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT, EGL_SURFACE_TYPE, 0, EGL_NONE};
        EGLint ncfg = 0;
        if (!eglChooseConfig(gc->dpy, want, &cfg, 1, &ncfg) || ncfg < 1) {
            rc = misi_error_set(err, MISI_E_GL, "no EGL config supports OpenGL ES 3");
            goto fail_init;
        }
    }
    const EGLint attrs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 0, EGL_NONE};
    gc->ctx = eglCreateContext(gc->dpy, cfg, EGL_NO_CONTEXT, attrs);
    if (gc->ctx == EGL_NO_CONTEXT) {
        rc = misi_error_set(err, MISI_E_GL, "cannot create an OpenGL ES 3.0 context (EGL error 0x%x)",
                            (unsigned)eglGetError());
        goto fail_init;
    }
    if (!eglMakeCurrent(gc->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, gc->ctx)) {
        rc = misi_error_set(err, MISI_E_GL, "eglMakeCurrent failed (0x%x)", (unsigned)eglGetError());
        goto fail_context;
    }
    info->chosen = gc->device;
    snprintf(info->platform, sizeof info->platform, "%s", gc->platform);
    snprintf(info->egl_version, sizeof info->egl_version, "%d.%d", maj, min);
    const char *vendor = eglQueryString(gc->dpy, EGL_VENDOR);
    snprintf(info->egl_vendor, sizeof info->egl_vendor, "%s", vendor ? vendor : "");
    GLint glmaj = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &glmaj);
    if (glmaj < 3) {
        rc = misi_error_set(err, MISI_E_GL, "context is OpenGL ES %d, need 3.0", glmaj);
        goto fail_current;
    }
    gfx_query_limits(info);
    return 0;

fail_current:
    eglMakeCurrent(gc->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
fail_context:
    eglDestroyContext(gc->dpy, gc->ctx);
fail_init:
    display_release(gc->dpy);
fail_display:
fail:
    memset(gc, 0, sizeof *gc);
    return rc;
}

void gfx_context_destroy(gfx_context *gc)
{
    if (!gc || gc->dpy == EGL_NO_DISPLAY)
        return;
    eglMakeCurrent(gc->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (gc->ctx != EGL_NO_CONTEXT)
        eglDestroyContext(gc->dpy, gc->ctx);
    display_release(gc->dpy);
    eglReleaseThread();
    memset(gc, 0, sizeof *gc);
}

static void copy_str(char *dst, size_t n, GLenum name)
{
    const GLubyte *s = glGetString(name);
    snprintf(dst, n, "%s", s ? (const char *)s : "");
}

void gfx_query_limits(misi_gfx_info *info)
{
    copy_str(info->gl_vendor, sizeof info->gl_vendor, GL_VENDOR);
    copy_str(info->gl_renderer, sizeof info->gl_renderer, GL_RENDERER);
    copy_str(info->gl_version, sizeof info->gl_version, GL_VERSION);
    copy_str(info->glsl_version, sizeof info->glsl_version, GL_SHADING_LANGUAGE_VERSION);
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &info->max_texture_size);
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &info->max_renderbuffer_size);
    glGetIntegerv(GL_MAX_SAMPLES, &info->max_samples);
    glGetIntegerv(GL_MAX_VIEWPORT_DIMS, info->max_viewport);
    GLfloat points[2] = {1, 1};
    glGetFloatv(GL_ALIASED_POINT_SIZE_RANGE, points);
    info->max_point_size = points[1];
    glGetIntegerv(GL_MAX_COLOR_ATTACHMENTS, &info->max_color_attachments);
    glGetIntegerv(GL_MAX_VERTEX_ATTRIBS, &info->max_vertex_attribs);
    glGetIntegerv(GL_MAX_COMBINED_TEXTURE_IMAGE_UNITS, &info->max_texture_units);
    GLint maj = 0, min = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &maj);
    glGetIntegerv(GL_MINOR_VERSION, &min);
    /* glMinSampleShading is core in ES 3.2 (the OES extension names it
     * differently, so only 3.2 counts). */
    info->sample_shading = maj > 3 || (maj == 3 && min >= 2);
    while (glGetError() != GL_NO_ERROR) {
    }
}

int gfx_check(const char *what, misi_error *err)
{
    GLenum e = glGetError();
    if (e == GL_NO_ERROR)
        return 0;
    while (glGetError() != GL_NO_ERROR) {
    }
    return misi_error_set(err, MISI_E_GL, "OpenGL error 0x%04x in %s", (unsigned)e, what);
}
