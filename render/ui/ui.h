/* ui.h: Stipple's user interface toolkit: Dear ImGui (C++, Debian's
 * libimgui-dev) behind a small C API, so everything outside this bridge
 * stays C.
 *
 * One ui_ctx per window (ImGui's context, the SDL and OpenGL 3 backends,
 * fonts scaled for the display). Each frame: feed SDL events (ui_event),
 * ui_begin_frame, build windows with the widget calls below (ImGui's
 * immediate-mode semantics: a function returns true the frame its widget
 * was used), ui_end_frame (draws into the current framebuffer over what is
 * there; GL state is saved and restored).
 *
 * Sizes are in pixels of the drawable; ui_px(v) converts a size designed
 * at 1x (a 1080p screen) to the current scale (DPI, settings).
 *
 * Threads: the GL thread only; ImGui keeps one current context per thread.
 * Ownership: the ui_ctx owns ImGui's context and the backends' GL objects;
 * the window and GL context are borrowed.
 */
#ifndef UI_H
#define UI_H

#include <SDL.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnd.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ui_ctx ui_ctx;

typedef struct ui_desc {
    SDL_Window *window;      /* borrowed */
    void *gl_context;        /* SDL_GLContext, current on this thread */
    float scale;             /* 0 = from the display (DPI and drawable size) */
    const char *font_path;   /* a TTF; NULL = DejaVu Sans if installed, else
                                ImGui's built-in font */
    const char *ini_path;    /* where ImGui keeps window layout; NULL = none */
} ui_desc;

/* RND_ERR_GL (the OpenGL 3 backend could not start) or RND_ERR_NOMEM. */
rnd_result ui_create(ui_ctx **out, const ui_desc *desc, sim_error *err);
void ui_destroy(ui_ctx *ui);
/* Passes an SDL event to ImGui. */
void ui_event(ui_ctx *ui, const SDL_Event *e);
/* True when ImGui uses the mouse / keyboard this frame (a window or text
 * field under it): the 3D view and shortcuts should leave it alone. */
bool ui_wants_mouse(const ui_ctx *ui);
bool ui_wants_keyboard(const ui_ctx *ui);
/* The scale in use (1 = designed for 1080p) and a new one (fonts are
 * rebuilt at the next frame). */
float ui_scale(const ui_ctx *ui);
void ui_set_scale(ui_ctx *ui, float scale);
float ui_px(float v);
/* Frames. */
void ui_begin_frame(ui_ctx *ui);
void ui_end_frame(ui_ctx *ui);
/* Seconds since the previous frame as ImGui measured it. */
float ui_delta_s(void);

/* ---------------------------------------------------------------------------
 * Colours: 0xRRGGBBAA
 * ------------------------------------------------------------------------- */
uint32_t ui_rgba(float r, float g, float b, float a);
#define UI_ACCENT 0x2FB5A8FFu
#define UI_GOOD 0x4CCB6AFFu
#define UI_WARN 0xF2B233FFu
#define UI_BAD 0xF0574AFFu
#define UI_MUTED 0x9AA3ADFFu
#define UI_TEXT 0xE8ECEFFFu

/* ---------------------------------------------------------------------------
 * Windows
 * ------------------------------------------------------------------------- */
enum {
    UI_WIN_NO_TITLE = 1,
    UI_WIN_NO_RESIZE = 2,
    UI_WIN_NO_MOVE = 4,
    UI_WIN_AUTO_SIZE = 8,
    UI_WIN_NO_BACKGROUND = 16,
    UI_WIN_NO_INPUTS = 32,
    UI_WIN_NO_SCROLLBAR = 64,
    UI_WIN_NO_FOCUS = 128,   /* not brought to the front when clicked */
    UI_WIN_PANEL = UI_WIN_NO_TITLE | UI_WIN_NO_RESIZE | UI_WIN_NO_MOVE,
};

/* The next window's place: its pivot (0..1 of its size) at (x, y); w or h
 * of 0 sizes to the contents. */
void ui_next_window(float x, float y, float pivot_x, float pivot_y, float w, float h);
void ui_next_window_alpha(float alpha);
/* Always pair with ui_window_end, whatever it returns (false: collapsed). */
bool ui_window_begin(const char *title, int flags);
void ui_window_end(void);
/* A child region (scrolls on its own); pair with ui_child_end. */
void ui_child_begin(const char *id, float w, float h, bool border);
void ui_child_end(void);

/* ---------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------- */
#if defined(__GNUC__)
#define UI_FMT(a, b) __attribute__((format(printf, a, b)))
#else
#define UI_FMT(a, b)
#endif
void ui_text(const char *fmt, ...) UI_FMT(1, 2);
void ui_text_title(const char *fmt, ...) UI_FMT(1, 2);   /* the large font */
void ui_text_big(const char *fmt, ...) UI_FMT(1, 2);     /* the medium font */
void ui_text_color(uint32_t rgba, const char *fmt, ...) UI_FMT(2, 3);
void ui_text_muted(const char *fmt, ...) UI_FMT(1, 2);
void ui_text_wrapped(const char *fmt, ...) UI_FMT(1, 2);
void ui_text_wrapped_color(uint32_t rgba, const char *fmt, ...) UI_FMT(2, 3);
void ui_tooltip(const char *fmt, ...) UI_FMT(1, 2);      /* when the last item is hovered */
void ui_bullet(const char *fmt, ...) UI_FMT(1, 2);

/* ---------------------------------------------------------------------------
 * Widgets (ImGui semantics; labels "text##id" keep ids apart)
 * ------------------------------------------------------------------------- */
bool ui_button(const char *label, float w, float h);          /* 0: natural size */
bool ui_button_primary(const char *label, float w, float h);  /* accent colour */
bool ui_button_enabled(const char *label, float w, float h, bool enabled);
bool ui_selectable(const char *label, bool selected, float h);
bool ui_checkbox(const char *label, bool *v);
bool ui_radio(const char *label, bool active);
bool ui_slider_float(const char *label, float *v, float lo, float hi, const char *fmt);
bool ui_combo(const char *label, int *current, const char *const *items, int count);
/* True when the text changed (or Enter was pressed with enter_returns). */
bool ui_input_text(const char *label, char *buf, size_t size, bool enter_returns);
void ui_focus_next(void);
bool ui_header(const char *label, bool open_by_default);
void ui_progress(float fraction, float w, float h, const char *overlay, uint32_t rgba);
bool ui_item_hovered(void);
bool ui_item_clicked(void);

/* ---------------------------------------------------------------------------
 * Layout
 * ------------------------------------------------------------------------- */
void ui_same_line(float spacing);    /* < 0: the default spacing */
void ui_separator(void);
void ui_spacing(float h);            /* pixels at 1x */
void ui_indent(float w);
void ui_unindent(float w);
void ui_dummy(float w, float h);
float ui_avail_width(void);
float ui_line_height(void);
void ui_cursor_screen(float *x, float *y);
void ui_push_id(int id);
void ui_pop_id(void);
void ui_push_width(float w);
void ui_pop_width(void);
/* Tables: ui_table_begin(id, n) ... ui_table_header(names) ... for each
 * row ui_table_next_row then ui_table_col before each cell ... end. */
bool ui_table_begin(const char *id, int columns);
void ui_table_header(const char *const *names, int n);
void ui_table_next_row(void);
void ui_table_col(void);
void ui_table_end(void);

/* ---------------------------------------------------------------------------
 * Drawing in the current window (screen pixels)
 * ------------------------------------------------------------------------- */
void ui_draw_rect(float x0, float y0, float x1, float y1, uint32_t rgba, float rounding, bool filled);
void ui_draw_line(float x0, float y0, float x1, float y1, uint32_t rgba, float thickness);
void ui_draw_text(float x, float y, uint32_t rgba, const char *text);
void ui_draw_circle(float x, float y, float r, uint32_t rgba, bool filled);
/* The same on top of every window (markers over the 3D view). */
void ui_overlay_circle(float x, float y, float r, uint32_t rgba, float thickness);
void ui_overlay_text(float x, float y, uint32_t rgba, const char *text);

#ifdef __cplusplus
}
#endif

#endif /* UI_H */
