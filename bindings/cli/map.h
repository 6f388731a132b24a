/*
 * map.h: what map.c (options, fetching the library's JSON) hands to mapdraw.c (the SVG). Private to the map.
 */
#ifndef CHIPCHECK_MAP_H
#define CHIPCHECK_MAP_H

#include "cli.h"

#define MAP_DATES 4
#define MAP_PLANES 2
#define MAP_MAX_CHIPS 256

/* A plane: its two metrics (names of the rules' metrics) and whether its axes are logarithmic. */
typedef struct map_plane_def { const char *x, *y; int log; } map_plane_def;
extern const map_plane_def map_planes[MAP_PLANES];

typedef struct map_opts {
    const char *to, *hq, *from, *out, *rules_dir;
    const char *dates[MAP_DATES]; size_t ndates;
    const char *chips[MAP_MAX_CHIPS]; size_t nchips;
    int catalog;
} map_opts;

/* Where one chip is on one date: its own verdict, and its place on each plane (or what is missing). */
typedef struct map_chip_at {
    char verdict[24], policy[40], classes[64];
    double x[MAP_PLANES], y[MAP_PLANES];
    int placed[MAP_PLANES];
    char missing[MAP_PLANES][96];
} map_chip_at;

typedef struct map_chip {
    char name[96];                   /* the catalog name */
    char label[64];                  /* the shortest of its name and aliases */
    int datacenter;                  /* 1 for datacenters, 0 not, -1 not known */
    map_chip_at at[MAP_DATES];
} map_chip;

typedef struct map_data {
    map_opts o;
    size_t ndates;
    cJSON *env[MAP_DATES][MAP_PLANES]; /* chipcheck_envelope() of a new datacenter design, per date and plane */
    cJSON *nodc[MAP_DATES];            /* the first plane for a new design not for datacenters */
    map_chip *chips; size_t nchips;
    scale sx[MAP_PLANES], sy[MAP_PLANES]; /* data ranges, the same for every date */
} map_data;

/* Write the map as one SVG document. Returns 0, or -1 when out of memory. */
int map_draw(FILE *f, const map_data *m);

#endif
