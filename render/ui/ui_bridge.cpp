// ui_bridge.cpp: the C API of ui.h over Dear ImGui 1.86 and its SDL2 and
// OpenGL 3 backends (compiled from Debian's example sources next to this
// file's target, with libepoxy as the GL loader). The only C++ in Stipple.
//
// Style: a dark, quiet theme with one accent (teal) so the skin stays the
// brightest thing on screen; DejaVu Sans when installed (crisper than
// ImGui's bitmap font at every scale), in three sizes.
//
// Threads: the GL thread only. Ownership: ui_ctx owns ImGui's context and
// the backends; ImGui's global "current context" is set to it on each call
// that needs it (one window at a time in Stipple).

#include <epoxy/gl.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"

extern "C" {
#include "ui.h"
}

namespace {

const float kBaseFontPx = 17.0f;
const float kBigFontPx = 22.0f;
const float kTitleFontPx = 30.0f;
const char *const kDefaultFonts[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
};

float g_scale = 1.0f;  // the current context's, for ui_px

ImVec4 col(uint32_t rgba)
{
    return ImVec4(((rgba >> 24) & 255) / 255.0f, ((rgba >> 16) & 255) / 255.0f,
                  ((rgba >> 8) & 255) / 255.0f, (rgba & 255) / 255.0f);
}

ImU32 col32(uint32_t rgba)
{
    return ImGui::ColorConvertFloat4ToU32(col(rgba));
}

void apply_style(float scale)
{
    ImGuiStyle style;
    ImGui::StyleColorsDark(&style);
    style.WindowRounding = 8.0f;
    style.ChildRounding = 6.0f;
    style.FrameRounding = 5.0f;
    style.PopupRounding = 6.0f;
    style.GrabRounding = 4.0f;
    style.TabRounding = 5.0f;
    style.WindowBorderSize = 0.0f;
    style.FrameBorderSize = 0.0f;
    style.WindowPadding = ImVec2(16, 14);
    style.FramePadding = ImVec2(10, 6);
    style.ItemSpacing = ImVec2(10, 8);
    style.ItemInnerSpacing = ImVec2(8, 6);
    style.ScrollbarSize = 12.0f;
    style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
    ImVec4 *c = style.Colors;
    c[ImGuiCol_Text] = col(UI_TEXT);
    c[ImGuiCol_TextDisabled] = col(UI_MUTED);
    c[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.115f, 0.94f);
    c[ImGuiCol_ChildBg] = ImVec4(0.12f, 0.13f, 0.15f, 0.60f);
    c[ImGuiCol_PopupBg] = ImVec4(0.10f, 0.11f, 0.13f, 0.98f);
    c[ImGuiCol_Border] = ImVec4(1, 1, 1, 0.08f);
    c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.19f, 0.22f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.25f, 0.29f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.29f, 0.33f, 1.0f);
    c[ImGuiCol_TitleBg] = ImVec4(0.09f, 0.10f, 0.115f, 1.0f);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.11f, 0.13f, 0.15f, 1.0f);
    ImVec4 accent = col(UI_ACCENT);
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_SliderGrabActive] = ImVec4(accent.x * 1.15f, accent.y * 1.15f, accent.z * 1.15f, 1);
    c[ImGuiCol_Button] = ImVec4(0.20f, 0.23f, 0.27f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.30f, 0.35f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.35f, 0.41f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(accent.x, accent.y, accent.z, 0.22f);
    c[ImGuiCol_HeaderHovered] = ImVec4(accent.x, accent.y, accent.z, 0.35f);
    c[ImGuiCol_HeaderActive] = ImVec4(accent.x, accent.y, accent.z, 0.50f);
    c[ImGuiCol_Separator] = ImVec4(1, 1, 1, 0.10f);
    c[ImGuiCol_PlotHistogram] = accent;
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.14f, 0.16f, 0.19f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.03f);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

}  // namespace

struct ui_ctx {
    ImGuiContext *imgui;
    SDL_Window *window;
    float scale;
    float pending_scale;     // > 0: rebuild fonts before the next frame
    char font_path[512];
    char ini_path[512];
    ImFont *fonts[3];        // body, big, title
    bool backend_sdl, backend_gl;
};

namespace {

void build_fonts(ui_ctx *ui)
{
    ImGuiIO &io = ImGui::GetIO();
    io.Fonts->Clear();
    float s = ui->scale;
    if (ui->font_path[0]) {
        ImFontConfig cfg;
        cfg.OversampleH = 2;
        cfg.OversampleV = 1;
        ui->fonts[0] = io.Fonts->AddFontFromFileTTF(ui->font_path, std::round(kBaseFontPx * s), &cfg);
        ui->fonts[1] = io.Fonts->AddFontFromFileTTF(ui->font_path, std::round(kBigFontPx * s), &cfg);
        ui->fonts[2] = io.Fonts->AddFontFromFileTTF(ui->font_path, std::round(kTitleFontPx * s), &cfg);
    }
    if (!ui->font_path[0] || !ui->fonts[0] || !ui->fonts[1] || !ui->fonts[2]) {
        io.Fonts->Clear();
        ImFontConfig cfg;
        cfg.SizePixels = std::round(13.0f * s);
        ui->fonts[0] = io.Fonts->AddFontDefault(&cfg);
        cfg.SizePixels = std::round(18.0f * s);
        ui->fonts[1] = io.Fonts->AddFontDefault(&cfg);
        cfg.SizePixels = std::round(26.0f * s);
        ui->fonts[2] = io.Fonts->AddFontDefault(&cfg);
    }
    io.FontDefault = ui->fonts[0];
}

float display_scale(SDL_Window *w)
{
    int ww = 0, wh = 0, dw = 0, dh = 0;
    SDL_GetWindowSize(w, &ww, &wh);
    SDL_GL_GetDrawableSize(w, &dw, &dh);
    float s = (ww > 0) ? (float)dw / (float)ww : 1.0f;  // HiDPI drawables
    float ddpi = 0;
    int display = SDL_GetWindowDisplayIndex(w);
    if (display >= 0 && SDL_GetDisplayDPI(display, &ddpi, nullptr, nullptr) == 0 && ddpi > 120.0f)
        s *= ddpi / 96.0f;
    SDL_DisplayMode mode;
    if (display >= 0 && SDL_GetCurrentDisplayMode(display, &mode) == 0 && mode.h >= 2000 && s < 1.5f)
        s = 2.0f;  // a 4K screen that reports no DPI
    if (!(s > 0.5f))
        s = 1.0f;
    return s > 4.0f ? 4.0f : s;
}

void vtext(const char *fmt, va_list ap)
{
    ImGui::TextV(fmt, ap);
}

}  // namespace

extern "C" {

rnd_result ui_create(ui_ctx **out, const ui_desc *desc, sim_error *err)
{
    sim_error_clear(err);
    if (!out || !desc || !desc->window)
        return (rnd_result)sim_error_set(err, RND_ERR_ARG, NULL, 0, 0, "ui_create: no window");
    *out = nullptr;
    ui_ctx *ui = (ui_ctx *)sim_calloc(1, sizeof *ui);
    if (!ui)
        return (rnd_result)sim_error_set(err, RND_ERR_NOMEM, NULL, 0, 0, "out of memory for the UI");
    ui->window = desc->window;
    ui->imgui = ImGui::CreateContext();
    ImGui::SetCurrentContext(ui->imgui);
    ImGuiIO &io = ImGui::GetIO();
    if (desc->ini_path && *desc->ini_path) {
        std::snprintf(ui->ini_path, sizeof ui->ini_path, "%s", desc->ini_path);
        io.IniFilename = ui->ini_path;
    } else {
        io.IniFilename = nullptr;
    }
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    const char *font = desc->font_path;
    for (size_t i = 0; !font && i < sizeof kDefaultFonts / sizeof kDefaultFonts[0]; i++) {
        FILE *f = std::fopen(kDefaultFonts[i], "rb");
        if (f) {
            std::fclose(f);
            font = kDefaultFonts[i];
        }
    }
    if (font)
        std::snprintf(ui->font_path, sizeof ui->font_path, "%s", font);
    ui->scale = desc->scale > 0.0f ? desc->scale : display_scale(desc->window);
    g_scale = ui->scale;
    apply_style(ui->scale);
    build_fonts(ui);
    ui->backend_sdl = ImGui_ImplSDL2_InitForOpenGL(desc->window, desc->gl_context);
    ui->backend_gl = ui->backend_sdl && ImGui_ImplOpenGL3_Init("#version 330 core");
    if (!ui->backend_gl) {
        ui_destroy(ui);
        return (rnd_result)sim_error_set(err, RND_ERR_GL, NULL, 0, 0,
                                         "the user interface cannot start on this OpenGL context");
    }
    *out = ui;
    return RND_OK;
}

void ui_destroy(ui_ctx *ui)
{
    if (!ui)
        return;
    ImGui::SetCurrentContext(ui->imgui);
    if (ui->backend_gl)
        ImGui_ImplOpenGL3_Shutdown();
    if (ui->backend_sdl)
        ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext(ui->imgui);
    sim_free(ui);
}

void ui_event(ui_ctx *ui, const SDL_Event *e)
{
    if (!ui || !e)
        return;
    ImGui::SetCurrentContext(ui->imgui);
    ImGui_ImplSDL2_ProcessEvent(e);
}

bool ui_wants_mouse(const ui_ctx *ui)
{
    return ui && ui->imgui && ImGui::GetCurrentContext() == ui->imgui && ImGui::GetIO().WantCaptureMouse;
}

bool ui_wants_keyboard(const ui_ctx *ui)
{
    return ui && ui->imgui && ImGui::GetCurrentContext() == ui->imgui &&
           ImGui::GetIO().WantTextInput;
}

float ui_scale(const ui_ctx *ui)
{
    return ui ? ui->scale : 1.0f;
}

void ui_set_scale(ui_ctx *ui, float scale)
{
    if (ui && scale >= 0.5f && scale <= 4.0f)
        ui->pending_scale = scale;
}

float ui_px(float v)
{
    return v * g_scale;
}

void ui_begin_frame(ui_ctx *ui)
{
    ImGui::SetCurrentContext(ui->imgui);
    if (ui->pending_scale > 0.0f) {
        ui->scale = ui->pending_scale;
        ui->pending_scale = 0.0f;
        apply_style(ui->scale);
        build_fonts(ui);
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    g_scale = ui->scale;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
}

void ui_end_frame(ui_ctx *ui)
{
    ImGui::SetCurrentContext(ui->imgui);
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

float ui_delta_s(void)
{
    return ImGui::GetIO().DeltaTime;
}

uint32_t ui_rgba(float r, float g, float b, float a)
{
    auto c = [](float v) { return (uint32_t)std::lround((v < 0 ? 0 : v > 1 ? 1 : v) * 255.0f); };
    return c(r) << 24 | c(g) << 16 | c(b) << 8 | c(a);
}

/* ---- windows ------------------------------------------------------------ */

void ui_next_window(float x, float y, float pivot_x, float pivot_y, float w, float h)
{
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always, ImVec2(pivot_x, pivot_y));
    if (w > 0 || h > 0)
        ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
}

void ui_next_window_alpha(float alpha)
{
    ImGui::SetNextWindowBgAlpha(alpha);
}

bool ui_window_begin(const char *title, int flags)
{
    ImGuiWindowFlags f = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
    if (flags & UI_WIN_NO_TITLE)
        f |= ImGuiWindowFlags_NoTitleBar;
    if (flags & UI_WIN_NO_RESIZE)
        f |= ImGuiWindowFlags_NoResize;
    if (flags & UI_WIN_NO_MOVE)
        f |= ImGuiWindowFlags_NoMove;
    if (flags & UI_WIN_AUTO_SIZE)
        f |= ImGuiWindowFlags_AlwaysAutoResize;
    if (flags & UI_WIN_NO_BACKGROUND)
        f |= ImGuiWindowFlags_NoBackground;
    if (flags & UI_WIN_NO_INPUTS)
        f |= ImGuiWindowFlags_NoInputs;
    if (flags & UI_WIN_NO_SCROLLBAR)
        f |= ImGuiWindowFlags_NoScrollbar;
    if (flags & UI_WIN_NO_FOCUS)
        f |= ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoFocusOnAppearing;
    return ImGui::Begin(title, nullptr, f);
}

void ui_window_end(void)
{
    ImGui::End();
}

void ui_child_begin(const char *id, float w, float h, bool border)
{
    ImGui::BeginChild(id, ImVec2(w, h), border);
}

void ui_child_end(void)
{
    ImGui::EndChild();
}

/* ---- text --------------------------------------------------------------- */

void ui_text(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vtext(fmt, ap);
    va_end(ap);
}

static void text_font(int which, const char *fmt, va_list ap)
{
    ImGuiIO &io = ImGui::GetIO();
    ImFont *f = io.Fonts->Fonts.Size > which ? io.Fonts->Fonts[which] : nullptr;
    if (f)
        ImGui::PushFont(f);
    ImGui::TextV(fmt, ap);
    if (f)
        ImGui::PopFont();
}

void ui_text_title(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_font(2, fmt, ap);
    va_end(ap);
}

void ui_text_big(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_font(1, fmt, ap);
    va_end(ap);
}

void ui_text_color(uint32_t rgba, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ImGui::TextColoredV(col(rgba), fmt, ap);
    va_end(ap);
}

void ui_text_muted(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ImGui::TextDisabledV(fmt, ap);
    va_end(ap);
}

void ui_text_wrapped(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ImGui::TextWrappedV(fmt, ap);
    va_end(ap);
}

void ui_text_wrapped_color(uint32_t rgba, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ImGui::PushStyleColor(ImGuiCol_Text, col(rgba));
    ImGui::TextWrappedV(fmt, ap);
    ImGui::PopStyleColor();
    va_end(ap);
}

void ui_tooltip(const char *fmt, ...)
{
    if (!ImGui::IsItemHovered())
        return;
    va_list ap;
    va_start(ap, fmt);
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextWrappedV(fmt, ap);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    va_end(ap);
}

void ui_bullet(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ImGui::Bullet();
    ImGui::SameLine();
    ImGui::TextWrappedV(fmt, ap);
    va_end(ap);
}

/* ---- widgets ------------------------------------------------------------ */

bool ui_button(const char *label, float w, float h)
{
    return ImGui::Button(label, ImVec2(w, h));
}

bool ui_button_primary(const char *label, float w, float h)
{
    ImVec4 a = col(UI_ACCENT);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(a.x * 0.78f, a.y * 0.78f, a.z * 0.78f, 1));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, a);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(a.x * 1.1f, a.y * 1.1f, a.z * 1.1f, 1));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.04f, 0.07f, 0.08f, 1));
    bool r = ImGui::Button(label, ImVec2(w, h));
    ImGui::PopStyleColor(4);
    return r;
}

bool ui_button_enabled(const char *label, float w, float h, bool enabled)
{
    if (!enabled) {
        ImGui::PushStyleVar(ImGuiStyleVar_Alpha, ImGui::GetStyle().Alpha * 0.45f);
        ImGui::Button(label, ImVec2(w, h));
        ImGui::PopStyleVar();
        return false;
    }
    return ImGui::Button(label, ImVec2(w, h));
}

bool ui_selectable(const char *label, bool selected, float h)
{
    return ImGui::Selectable(label, selected, 0, ImVec2(0, h));
}

bool ui_checkbox(const char *label, bool *v)
{
    return ImGui::Checkbox(label, v);
}

bool ui_radio(const char *label, bool active)
{
    return ImGui::RadioButton(label, active);
}

bool ui_slider_float(const char *label, float *v, float lo, float hi, const char *fmt)
{
    return ImGui::SliderFloat(label, v, lo, hi, fmt ? fmt : "%.2f");
}

bool ui_combo(const char *label, int *current, const char *const *items, int count)
{
    return ImGui::Combo(label, current, items, count);
}

bool ui_input_text(const char *label, char *buf, size_t size, bool enter_returns)
{
    return ImGui::InputText(label, buf, size, enter_returns ? ImGuiInputTextFlags_EnterReturnsTrue : 0);
}

void ui_focus_next(void)
{
    ImGui::SetKeyboardFocusHere();
}

bool ui_header(const char *label, bool open_by_default)
{
    return ImGui::CollapsingHeader(label, open_by_default ? ImGuiTreeNodeFlags_DefaultOpen : 0);
}

void ui_progress(float fraction, float w, float h, const char *overlay, uint32_t rgba)
{
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, col(rgba));
    ImGui::ProgressBar(fraction, ImVec2(w, h), overlay);
    ImGui::PopStyleColor();
}

bool ui_item_hovered(void)
{
    return ImGui::IsItemHovered();
}

bool ui_item_clicked(void)
{
    return ImGui::IsItemClicked();
}

/* ---- layout ------------------------------------------------------------- */

void ui_same_line(float spacing)
{
    ImGui::SameLine(0.0f, spacing < 0 ? -1.0f : spacing);
}

void ui_separator(void)
{
    ImGui::Separator();
}

void ui_spacing(float h)
{
    ImGui::Dummy(ImVec2(1, h * g_scale));
}

void ui_indent(float w)
{
    ImGui::Indent(w * g_scale);
}

void ui_unindent(float w)
{
    ImGui::Unindent(w * g_scale);
}

void ui_dummy(float w, float h)
{
    ImGui::Dummy(ImVec2(w, h));
}

float ui_avail_width(void)
{
    return ImGui::GetContentRegionAvail().x;
}

float ui_line_height(void)
{
    return ImGui::GetTextLineHeightWithSpacing();
}

void ui_cursor_screen(float *x, float *y)
{
    ImVec2 p = ImGui::GetCursorScreenPos();
    if (x)
        *x = p.x;
    if (y)
        *y = p.y;
}

void ui_push_id(int id)
{
    ImGui::PushID(id);
}

void ui_pop_id(void)
{
    ImGui::PopID();
}

void ui_push_width(float w)
{
    ImGui::PushItemWidth(w);
}

void ui_pop_width(void)
{
    ImGui::PopItemWidth();
}

bool ui_table_begin(const char *id, int columns)
{
    return ImGui::BeginTable(id, columns,
                             ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                 ImGuiTableFlags_SizingStretchProp);
}

void ui_table_header(const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        ImGui::TableSetupColumn(names[i]);
    ImGui::TableHeadersRow();
}

void ui_table_next_row(void)
{
    ImGui::TableNextRow();
}

void ui_table_col(void)
{
    ImGui::TableNextColumn();
}

void ui_table_end(void)
{
    ImGui::EndTable();
}

/* ---- drawing ------------------------------------------------------------ */

void ui_draw_rect(float x0, float y0, float x1, float y1, uint32_t rgba, float rounding, bool filled)
{
    ImDrawList *dl = ImGui::GetWindowDrawList();
    if (filled)
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), col32(rgba), rounding);
    else
        dl->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), col32(rgba), rounding, 0, g_scale);
}

void ui_draw_line(float x0, float y0, float x1, float y1, uint32_t rgba, float thickness)
{
    ImGui::GetWindowDrawList()->AddLine(ImVec2(x0, y0), ImVec2(x1, y1), col32(rgba), thickness);
}

void ui_draw_text(float x, float y, uint32_t rgba, const char *text)
{
    ImGui::GetWindowDrawList()->AddText(ImVec2(x, y), col32(rgba), text);
}

void ui_draw_circle(float x, float y, float r, uint32_t rgba, bool filled)
{
    ImDrawList *dl = ImGui::GetWindowDrawList();
    if (filled)
        dl->AddCircleFilled(ImVec2(x, y), r, col32(rgba), 24);
    else
        dl->AddCircle(ImVec2(x, y), r, col32(rgba), 24, g_scale);
}

void ui_overlay_circle(float x, float y, float r, uint32_t rgba, float thickness)
{
    ImGui::GetForegroundDrawList()->AddCircle(ImVec2(x, y), r, col32(rgba), 32, thickness);
}

void ui_overlay_text(float x, float y, uint32_t rgba, const char *text)
{
    ImGui::GetForegroundDrawList()->AddText(ImVec2(x, y), col32(rgba), text);
}

}  // extern "C"
