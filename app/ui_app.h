/* ui_app.h: the interactive simulator (internal to app/): its state and
 * the screens that share it.
 *
 * Screens, in the order a trainee meets them:
 *   SIGN_IN     who is training (a trainee code, as the records know it)
 *   CURRICULUM  the lessons in assets/lessons, locked until the one before
 *               is passed, with this trainee's best scores from the
 *               records database (ui_scores.c)
 *   BRIEF       the lesson: surface, zones and targets, hairline, rubric,
 *               the client intake and the decision (treat, treat with
 *               caution, refuse)
 *   WORK        the 3D scene and the HUD (machine, cartridge, shade, live
 *               depth gauge, dots, time, hints, views)
 *   RESULTS     total, sub-scores, zones, feedback (a click flies the
 *               camera to the place), fresh / healed / aged / heatmap views
 *   REPLAY      the trace again through the extractor: scrubber, speed,
 *               pause
 * Settings and the shortcut sheet open over any screen.
 *
 * Files: ui_app.c (window, loop, events, shortcuts, 3D view, attempt),
 * ui_screens.c (sign-in, curriculum, brief), ui_work.c (HUD), ui_results.c
 * (results, feedback), ui_replay.c, ui_settings.c (settings, shortcut
 * sheet), ui_scores.c (the records database: each session recorded,
 * graded and signed there; best scores), ui_autotest.c (the scripted smoke
 * run), app_dots.c (dots as healed and aged with the lesson's tissue). The trace stays the source of truth: everything shown after the
 * work is computed from it.
 *
 * Threads: main thread only (SDL, GL, UI); the haptic servo thread lives
 * inside app_input. Ownership: one app_ui, static storage (it is large);
 * app_ui_close releases everything.
 */
#ifndef UI_APP_H
#define UI_APP_H

#include <SDL.h>

#include "app.h"
#include "app_input.h"
#include "app_records.h"
#include "app_session.h"
#include "rnd.h"
#include "ui.h"

#define APP_UI_MAX_LESSONS 64
#define APP_UI_MAX_FEEDBACK 16
#define APP_UI_DRAIN 4096
#define APP_UI_MAX_ZONES 16

typedef enum app_screen {
    APP_SCREEN_SIGN_IN = 0,
    APP_SCREEN_CURRICULUM,
    APP_SCREEN_BRIEF,
    APP_SCREEN_WORK,
    APP_SCREEN_RESULTS,
    APP_SCREEN_REPLAY,
    APP_SCREEN_COUNT
} app_screen;

const char *app_screen_name(app_screen s);

/* What the trainee decided about the client on the brief. */
typedef enum app_intake {
    APP_INTAKE_UNDECIDED = 0,
    APP_INTAKE_TREAT,
    APP_INTAKE_CAUTION,
    APP_INTAKE_REFUSE,
} app_intake;

/* How placed dots are shown. */
typedef enum app_dot_view {
    APP_VIEW_FRESH = 0,
    APP_VIEW_HEALED,
    APP_VIEW_AGED,
    APP_VIEW_DENSITY,
    APP_VIEW_DEPTH,
    APP_VIEW_COUNT
} app_dot_view;

typedef struct app_lesson_entry {
    char path[1024];
    char id[64];
    char title[160];
    bool head;
    size_t zones;
    double pass_mark;
    double best;             /* best score of this trainee; < 0 none */
    bool passed;             /* ever passed */
    bool unlocked;
} app_lesson_entry;

typedef enum app_feedback_level { APP_FB_GOOD, APP_FB_WARN, APP_FB_BAD } app_feedback_level;

typedef struct app_feedback {
    app_feedback_level level;
    char text[200];
    bool has_place;
    sim_vec3 place_mm;       /* on the skin; the camera flies there */
} app_feedback;

typedef struct app_ui_options {
    const char *lesson;      /* open this lesson's brief directly (NULL: sign-in) */
    const char *trace_out;   /* the journal (NULL: under the data folder) */
    const char *device;      /* app_input's device choice */
    const char *firmware, *calibration;
    long max_frames;         /* testing: stop after this many frames (0: run) */
    const char *autotest_dir; /* the scripted smoke run writes here */
    float scale;             /* UI scale; 0 = from the display */
} app_ui_options;

typedef struct app_ui {
    app_ui_options opt;
    /* window, GL, UI, renderer */
    SDL_Window *window;
    SDL_GLContext gl;
    ui_ctx *ui;
    rnd_renderer *renderer;
    int w, h;                /* drawable pixels */
    int win_w, win_h;        /* window coordinates (mouse) */
    int scene_x;             /* the 3D view starts right of a side panel */
    bool software_gl;        /* llvmpipe & co: no multisampling by default */
    char gl_renderer[128];
    bool running;

    /* screens */
    app_screen screen;
    bool settings_open, help_open;
    char status[256];        /* a line at the bottom (errors, notes) */
    uint64_t status_until_ms;

    /* trainee and curriculum */
    char trainee[64];
    bool signed_in;
    app_lesson_entry lessons[APP_UI_MAX_LESSONS];
    size_t lesson_count;
    int selected;            /* index into lessons */

    /* the attempt */
    app_attempt attempt;
    bool have_lesson;
    app_intake intake;
    sim_extractor extractor;
    sim_trace_writer journal;
    bool journal_open;
    char journal_path[1024];
    app_input input;
    bool input_open;
    sim_sample drained[APP_UI_DRAIN];
    double zone_area_cm2[APP_UI_MAX_ZONES]; /* each zone's skin area */
    size_t zone_dots[APP_UI_MAX_ZONES];     /* impressions in each so far */
    uint64_t work_start_ms;
    double elapsed_s;
    bool finished;

    /* the workspace */
    rnd_camera camera;
    bool camera_set;
    double depth_mm;         /* the mouse's push depth */
    bool machine;            /* left button or Space */
    bool space_machine;      /* Space toggled the machine on */
    bool overlays;
    app_dot_view dot_view;
    bool have_tip;
    sim_surface_hit aim;
    int mouse_x, mouse_y;
    bool orbiting, panning;
    double live_depth_mm;    /* the needle's depth now (< 0: above the skin) */
    size_t dots_shown;       /* impressions already sent to the renderer */
    app_dot_view dots_view_shown; /* the view they were sent in */
    bool dots_dirty;

    /* results */
    bool have_grade;
    app_feedback feedback[APP_UI_MAX_FEEDBACK];
    size_t feedback_count;
    int feedback_selected;
    rnd_heatmap heat;
    app_dot_view heat_view;  /* which heatmap `heat` holds (0: none) */
    bool saved_score;

    /* camera flight */
    bool flying;
    rnd_camera fly_from, fly_to;
    double fly_t;

    /* replay */
    sim_extractor replay_ex;
    sim_impression_list replay_imps;
    size_t replay_next;      /* the next trace sample to feed */
    double replay_t_s;       /* replay clock, seconds into the trace */
    double replay_speed;
    bool replay_playing;
    sim_vec3 replay_tip, replay_axis;
    sim_vec3 needle_axis;    /* the stylus's axis, tip toward grip */
    bool replay_tip_in;

    /* records (ui_scores.c) */
    app_records records;
    bool records_open;
    les_db_recording rec;
    bool recording, rec_failing;
    int64_t recorded_id;     /* the stored attempt's number; 0 none */
    char *lesson_text;       /* the open lesson's file, stored with attempts */
    size_t lesson_len;

    /* settings */
    float ui_scale;
    bool show_fps;
    bool baked_dots;         /* the renderer's dot path */
    float heat_opacity;
    double frame_ms;         /* smoothed */

    /* autotest */
    void *autotest;          /* ui_autotest.c's state when running */
} app_ui;

/* ui_app.c */
int app_ui_run(const app_ui_options *opt);
void app_ui_set_status(app_ui *app, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void app_ui_go(app_ui *app, app_screen screen);
/* Loads a lesson (replacing any attempt) and shows its brief. */
int app_ui_open_lesson(app_ui *app, const char *path);
/* Starts the work: journal, input device, extractor. */
int app_ui_start_work(app_ui *app);
/* Ends the work: closes the journal and device, grades, builds feedback. */
void app_ui_finish(app_ui *app);
/* Records one stylus sample (trace, journal, impressions). */
void app_ui_record(app_ui *app, const sim_sample *s);
/* Re-sends the dots in the current view (after a view change). */
void app_ui_refresh_dots(app_ui *app);
/* Flies the camera to look at p from `distance_mm`. */
void app_ui_fly_to(app_ui *app, sim_vec3 p, double distance_mm);
void app_ui_set_view(app_ui *app, rnd_view v);
void app_ui_set_dot_view(app_ui *app, app_dot_view v);
const char *app_dot_view_name(app_dot_view v);
/* Reads the drawable into rgba (w * h * 4, top-down) after drawing. */
bool app_ui_screenshot(app_ui *app, uint8_t *rgba);
/* Scans the lesson folder into the curriculum. */
void app_ui_scan_lessons(app_ui *app);

/* The side panel's width on screens that have one (the 3D view sits to its
 * right). */
float app_ui_side_panel_w(const app_ui *app);

/* ui_screens.c */
void app_ui_sign_in_screen(app_ui *app);
void app_ui_curriculum_screen(app_ui *app);
void app_ui_brief_screen(app_ui *app);
/* The primary action of the screen (Enter). */
void app_ui_sign_in(app_ui *app);
void app_ui_brief_start(app_ui *app);

/* ui_work.c */
void app_ui_work_hud(app_ui *app);

/* ui_results.c */
void app_ui_build_feedback(app_ui *app);
void app_ui_results_screen(app_ui *app);

/* ui_replay.c */
void app_ui_replay_start(app_ui *app);
void app_ui_replay_stop(app_ui *app);
void app_ui_replay_update(app_ui *app, double dt_s);
void app_ui_replay_seek(app_ui *app, double t_s);
double app_ui_replay_duration_s(const app_ui *app);
void app_ui_replay_screen(app_ui *app);

/* ui_settings.c */
void app_ui_settings_window(app_ui *app);
void app_ui_help_window(app_ui *app);
/* The shortcut table (also printed by `stipple --help`). */
typedef struct app_shortcut {
    const char *keys;
    const char *what;
} app_shortcut;
extern const app_shortcut APP_SHORTCUTS[];
extern const size_t APP_SHORTCUT_COUNT;

/* ui_scores.c: the records database: sessions recorded, best scores */
void app_records_start(app_ui *app);
void app_records_stop(app_ui *app);
/* The trainee's best score and passes per lesson; unlocks. */
void app_scores_load(app_ui *app);
int app_records_begin_session(app_ui *app, const sim_trace_header *header);
void app_records_sample(app_ui *app, const sim_sample *s);
void app_records_tick(app_ui *app);
void app_records_end_session(app_ui *app);

/* ui_autotest.c */
int app_autotest_begin(app_ui *app);
/* Called before each frame's events: drives the run. False when done. */
bool app_autotest_step(app_ui *app);
/* Called after each frame is drawn (screenshots). */
void app_autotest_after_frame(app_ui *app);
/* Writes the run's summary; true when every check passed. */
bool app_autotest_end(app_ui *app);
bool app_autotest_running(const app_ui *app);
/* The stylus samples for this frame instead of a device's. */
size_t app_autotest_samples(app_ui *app, sim_sample *out, size_t max);

#endif /* UI_APP_H */
