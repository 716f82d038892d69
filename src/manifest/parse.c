/*
 * parse.c -- a manifest's YAML, read by libyaml, into entries.
 *
 * The document is loaded whole (libyaml resolves anchors and aliases), then
 * walked: a list of tasks, each a mapping of directives.  Every node keeps
 * its position, so any error names the line and column of the value that is
 * wrong and says what was expected there.  Scalars are typed as PyYAML
 * (YAML 1.1, what dotbot reads with) types them: plain true/false/yes/no/
 * on/off are booleans, plain ~/null/empty is null, a leading 0 is octal.
 */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MKLINK_HAVE_YAML

int mm_parse(mklink_manifest *m, const char *data, size_t len) {
  (void)m;
  (void)data;
  (void)len;
  return MKLINK_ENOTSUP; /* built without libyaml */
}

#else

#include <yaml.h>

#define MAX_EXCLUDES 64

/* The link options in force for an entry (the defaults, then its own). */
typedef struct link_opts {
  unsigned opts;
  mklink_kind kinds[MM_MAX_KINDS];
  unsigned nkinds;
  const char *prefix;
  const char *excludes[MAX_EXCLUDES];
  unsigned nexcludes;
  const char *if_cmd;
  int copy;
  int os_set, os_match; /* os: given, and naming this OS */
  const char *os_list;  /* for the note */
} link_opts;

typedef struct parser {
  mklink_manifest *m;
  yaml_document_t *doc;
  link_opts link_defaults;
  unsigned create_mode;
  unsigned clean_opts;
} parser;

static yaml_node_t *node_at(parser *p, int index) {
  return yaml_document_get_node(p->doc, index);
}

static unsigned line_of(const yaml_node_t *n) { return (unsigned)n->start_mark.line + 1; }
static unsigned col_of(const yaml_node_t *n) { return (unsigned)n->start_mark.column + 1; }

static const char *sval(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static int is_plain(const yaml_node_t *n) {
  return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int is_null(const yaml_node_t *n) {
  const char *v;
  if (!is_plain(n))
    return 0;
  v = sval(n);
  return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
         strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

/* What N is, for messages: "a list", "a mapping", "'text'", "nothing". */
static const char *what(const yaml_node_t *n, char *buf, size_t cap) {
  if (n->type == YAML_SEQUENCE_NODE)
    return "a list";
  if (n->type == YAML_MAPPING_NODE)
    return "a mapping";
  if (is_null(n))
    return "nothing (null)";
  snprintf(buf, cap, "'%.60s'", sval(n));
  return buf;
}

static int expected(parser *p, const yaml_node_t *n, const char *wanted) {
  char buf[80];
  return mm_fail(p->m, line_of(n), col_of(n), "expected %s, found %s", wanted,
                 what(n, buf, sizeof buf));
}

static int get_bool(parser *p, const yaml_node_t *n, int *out) {
  static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
  static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
  size_t i;
  if (is_plain(n)) {
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
      if (strcmp(sval(n), yes[i]) == 0) {
        *out = 1;
        return 0;
      }
      if (strcmp(sval(n), no[i]) == 0) {
        *out = 0;
        return 0;
      }
    }
  }
  return expected(p, n, "true or false");
}

static int get_string(parser *p, const yaml_node_t *n, const char **out) {
  *out = "";
  if (n->type != YAML_SCALAR_NODE || is_null(n))
    return expected(p, n, "a string");
  *out = sval(n);
  return 0;
}

/* A string, or null (*OUT NULL). */
static int get_opt_string(parser *p, const yaml_node_t *n, const char **out) {
  if (n->type == YAML_SCALAR_NODE && is_null(n)) {
    *out = NULL;
    return 0;
  }
  return get_string(p, n, out);
}

static int get_mode(parser *p, const yaml_node_t *n, unsigned *out) {
  const char *v = sval(n);
  char *end;
  unsigned long x;
  if (!is_plain(n) || v[0] < '0' || v[0] > '9')
    return expected(p, n, "a file mode such as 0755");
  if (v[0] == '0' && (v[1] == 'o' || v[1] == 'O'))
    x = strtoul(v + 2, &end, 8);
  else if (v[0] == '0' && v[1] != '\0')
    x = strtoul(v + 1, &end, 8);
  else
    x = strtoul(v, &end, 10);
  if (*end != '\0' || x > 07777)
    return expected(p, n, "a file mode such as 0755");
  *out = (unsigned)x;
  return 0;
}

static int kind_of(parser *p, const yaml_node_t *n, mklink_kind *kind, int *copy) {
  const char *v;
  int rc = get_string(p, n, &v);
  if (rc != 0)
    return rc;
  if (copy != NULL)
    *copy = 0;
  if (strcmp(v, "symlink") == 0)
    *kind = MKLINK_FILE_SYMLINK; /* made /D when the target is a directory */
  else if (strcmp(v, "hardlink") == 0)
    *kind = MKLINK_HARDLINK;
  else if (strcmp(v, "junction") == 0)
    *kind = MKLINK_JUNCTION;
  else if (copy != NULL && strcmp(v, "copy") == 0)
    *copy = 1, *kind = MKLINK_FILE_SYMLINK;
  else
    return expected(p, n, copy != NULL ? "symlink, hardlink, junction or copy"
                                       : "symlink, hardlink or junction");
  return 0;
}

static int set_os(parser *p, const yaml_node_t *n, link_opts *o) {
  yaml_node_item_t *it;
  const yaml_node_t *one;
  int single = n->type == YAML_SCALAR_NODE;
  if (n->type != YAML_SEQUENCE_NODE && !single)
    return expected(p, n, "a list of linux, windows, macos");
  o->os_set = 1;
  o->os_match = 0;
  o->os_list = NULL;
  for (it = single ? NULL : n->data.sequence.items.start;
       single || it < n->data.sequence.items.top; it = it != NULL ? it + 1 : NULL) {
    const char *v;
    one = single ? n : node_at(p, *it);
    if (one->type != YAML_SCALAR_NODE || is_null(one))
      return expected(p, one, "linux, windows or macos");
    v = sval(one);
    if (strcmp(v, "linux") != 0 && strcmp(v, "windows") != 0 && strcmp(v, "macos") != 0)
      return expected(p, one, "linux, windows or macos");
    if (strcmp(v, mm_os_name()) == 0)
      o->os_match = 1;
    if (o->os_list == NULL)
      o->os_list = v;
    if (single)
      break;
  }
  return 0;
}

static int set_fallback(parser *p, const yaml_node_t *n, link_opts *o) {
  yaml_node_item_t *it;
  if (n->type != YAML_SEQUENCE_NODE)
    return expected(p, n, "a list of link kinds (symlink, hardlink, junction)");
  o->nkinds = 1;
  for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
    mklink_kind k = MKLINK_NOT_LINK;
    int rc = kind_of(p, node_at(p, *it), &k, NULL);
    if (rc != 0)
      return rc;
    if (o->nkinds == MM_MAX_KINDS)
      return mm_fail(p->m, line_of(node_at(p, *it)), col_of(node_at(p, *it)),
                     "expected at most %d fallback kinds", MM_MAX_KINDS - 1);
    o->kinds[o->nkinds++] = k;
  }
  return 0;
}

static int set_excludes(parser *p, const yaml_node_t *n, link_opts *o) {
  yaml_node_item_t *it;
  if (n->type != YAML_SEQUENCE_NODE)
    return expected(p, n, "a list of glob patterns");
  o->nexcludes = 0;
  for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
    const char *v;
    int rc = get_string(p, node_at(p, *it), &v);
    if (rc != 0)
      return rc;
    if (o->nexcludes == MAX_EXCLUDES)
      return mm_fail(p->m, line_of(node_at(p, *it)), col_of(node_at(p, *it)),
                     "expected at most %d exclude patterns", MAX_EXCLUDES);
    o->excludes[o->nexcludes++] = v;
  }
  return 0;
}

#define LINK_OPTIONS                                                                  \
  "path, type, create, relink, force, backup, relative, canonicalize, if, "         \
  "ignore-missing, glob, exclude, prefix, fallback or os"

/* One "key: value" of a link's options (or of defaults: link:, where PATH is
   NULL because a default target makes no sense). */
static int link_option(parser *p, const yaml_node_t *k, const yaml_node_t *v, link_opts *o,
                       const char **path, int *path_given) {
  static const struct {
    const char *name;
    unsigned bit;
  } bools[] = {{"create", MM_CREATE},       {"relink", MM_RELINK},
               {"force", MM_FORCE},         {"relative", MM_RELATIVE},
               {"glob", MM_GLOB},           {"ignore-missing", MM_IGNORE_MISSING},
               {"backup", MM_BACKUP},       {"canonicalize", 0},
               {"canonicalize-path", 0}};
  const char *key;
  size_t i;
  int rc, b = 0;
  if (k->type != YAML_SCALAR_NODE)
    return expected(p, k, "an option name");
  key = sval(k);
  for (i = 0; i < sizeof bools / sizeof bools[0]; i++) {
    if (strcmp(key, bools[i].name) != 0)
      continue;
    if ((rc = get_bool(p, v, &b)) != 0)
      return rc;
    o->opts = b ? o->opts | bools[i].bit : o->opts & ~bools[i].bit;
    return 0;
  }
  if (strcmp(key, "path") == 0 && path != NULL) {
    *path_given = 1;
    return get_opt_string(p, v, path);
  }
  if (strcmp(key, "type") == 0) {
    rc = kind_of(p, v, &o->kinds[0], &o->copy);
    if (o->nkinds == 0)
      o->nkinds = 1;
    return rc;
  }
  if (strcmp(key, "fallback") == 0)
    return set_fallback(p, v, o);
  if (strcmp(key, "os") == 0)
    return set_os(p, v, o);
  if (strcmp(key, "prefix") == 0)
    return get_string(p, v, &o->prefix);
  if (strcmp(key, "exclude") == 0)
    return set_excludes(p, v, o);
  if (strcmp(key, "if") == 0)
    return get_string(p, v, &o->if_cmd);
  return mm_fail(p->m, line_of(k), col_of(k), "unknown link option '%.60s' (expected %s)", key,
                 path != NULL ? LINK_OPTIONS : "one of the link options but path");
}

static int link_options(parser *p, const yaml_node_t *map, link_opts *o, const char **path,
                        int *path_given) {
  yaml_node_pair_t *pr;
  int rc;
  for (pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++)
    if ((rc = link_option(p, node_at(p, pr->key), node_at(p, pr->value), o, path, path_given)) != 0)
      return rc;
  return 0;
}

/* ---- link: ------------------------------------------------------------------ */

/* A skipped entry for PATH at N, with NOTE. */
static int add_skip(parser *p, const yaml_node_t *n, const char *directive, const char *path,
                    const char *note) {
  mm_entry *e = mm_add(p->m, MKLINK_OP_SKIP, directive, line_of(n), col_of(n));
  if (e == NULL)
    return MKLINK_ENOMEM;
  e->e.path = path != NULL ? mm_strdup(p->m, path) : NULL;
  e->e.note = mm_strdup(p->m, note);
  return 0;
}

struct link_site {
  parser *p;
  const yaml_node_t *at;
  const char *link;     /* expanded link name */
  const char *pattern;  /* the glob pattern (relative as written) */
  const link_opts *o;
  const char *note;
  size_t matches;
  int rc;
};

static int add_link(struct link_site *s, const char *link, const char *target) {
  mklink_manifest *m = s->p->m;
  mm_entry *e = mm_add(m, MKLINK_OP_LINK, "link", line_of(s->at), col_of(s->at));
  char *abs_link, *abs_target, *dir, text[4096];
  int rc;
  if (e == NULL)
    return MKLINK_ENOMEM;
  if ((rc = mm_absolute(m, link, &abs_link)) != 0 || (rc = mm_absolute(m, target, &abs_target)) != 0)
    return rc == MKLINK_ENAMETOOLONG
               ? mm_fail(m, line_of(s->at), col_of(s->at), "expected a shorter path")
               : rc;
  e->e.path = abs_link;
  e->target_abs = abs_target;
  e->opts = s->o->opts;
  memcpy(e->kinds, s->o->kinds, sizeof e->kinds);
  e->nkinds = s->o->nkinds > 0 ? s->o->nkinds : 1;
  if (e->kinds[0] == MKLINK_NOT_LINK) /* fallback: without type: */
    e->kinds[0] = MKLINK_FILE_SYMLINK;
  e->e.kind = e->kinds[0];
  e->e.note = s->note;
  e->sym_text = abs_target;
  if (e->opts & MM_RELATIVE) {
    if ((rc = mm_parent(m, abs_link, &dir)) != 0)
      return rc;
    rc = mklink__path_relative(MKLINK__PATH_NATIVE, dir, abs_target, text, sizeof text);
    if (rc == 0 && (e->sym_text = mm_strdup(m, text)) == NULL)
      return MKLINK_ENOMEM;
    /* No relative path (another drive): the link stays absolute. */
  }
  e->e.target = mm_text_for(e, e->kinds[0]);
  return 0;
}

static int is_excluded(const link_opts *o, const char *match) {
  unsigned i;
  for (i = 0; i < o->nexcludes; i++)
    if (mm_match_path(o->excludes[i], match))
      return 1;
  return 0;
}

/* dotbot's naming of a glob match: the match less the directory of the
   longest common prefix of pattern and match, behind prefix:. */
static int glob_item(struct link_site *s, const char *match) {
  const char *pat = s->pattern;
  size_t k = 0, d = 0, i;
  char name[4096];
  while (pat[k] != '\0' && pat[k] == match[k])
    k++;
  for (i = 0; i < k; i++)
    if (mklink__path_is_sep(MKLINK__PATH_NATIVE, match[i]))
      d = i + 1;
  snprintf(name, sizeof name, "%s%s", s->o->prefix != NULL ? s->o->prefix : "", match + d);
  {
    char joined[4096];
    if (mklink__path_join(MKLINK__PATH_NATIVE, s->link, strlen(s->link), name, joined,
                          sizeof joined) != 0)
      return MKLINK_ENAMETOOLONG;
    return add_link(s, joined, match);
  }
}

struct collected {
  char **v;
  size_t n, cap;
  const link_opts *o;
  int rc;
};

static int collect(const char *match, void *arg) {
  struct collected *c = arg;
  size_t n = strlen(match) + 1;
  if (is_excluded(c->o, match))
    return 0;
  if (c->n == c->cap) {
    size_t cap = c->cap > 0 ? c->cap * 2 : 16;
    char **v = realloc(c->v, cap * sizeof *v);
    if (v == NULL)
      return c->rc = MKLINK_ENOMEM;
    c->v = v;
    c->cap = cap;
  }
  if ((c->v[c->n] = malloc(n)) == NULL)
    return c->rc = MKLINK_ENOMEM;
  memcpy(c->v[c->n++], match, n);
  return 0;
}

/* A skipped glob entry, named by the link's absolute path. */
static int glob_skip(struct link_site *s, const char *note, int err) {
  char *abs;
  int rc = mm_absolute(s->p->m, s->link, &abs);
  if (rc != 0)
    return rc;
  if ((rc = add_skip(s->p, s->at, "link", abs, note)) == 0)
    s->p->m->v[s->p->m->n - 1].e.error = err;
  return rc;
}

static int link_glob(struct link_site *s) {
  struct collected c;
  size_t i, len = strlen(s->link);
  int rc = 0, into_dir = len > 0 && mklink__path_is_sep(MKLINK__PATH_NATIVE, s->link[len - 1]);
  memset(&c, 0, sizeof c);
  c.o = s->o;
  rc = mm_glob(s->p->m, s->pattern, collect, &c);
  if (rc == 0)
    rc = c.rc;
  if (rc == 0 && c.n == 0) {
    rc = glob_skip(s, "the glob pattern matches nothing",
                   (s->o->opts & MM_IGNORE_MISSING) ? 0 : MKLINK_ENOFILE);
  } else if (rc == 0 && c.n == 1 && into_dir) {
    rc = glob_skip(s,
                   "ambiguous: the glob pattern has one match and the link ends with a "
                   "separator (link the directory itself, or into it?)",
                   MKLINK_EINVAL);
  } else if (rc == 0 && c.n == 1) {
    rc = add_link(s, s->link, c.v[0]);
  } else {
    for (i = 0; i < c.n && rc == 0; i++)
      rc = glob_item(s, c.v[i]);
  }
  for (i = 0; i < c.n; i++)
    free(c.v[i]);
  free(c.v);
  return rc;
}

/* dotbot: a missing target is the link name's basename without a leading '.'. */
static const char *default_target(const char *link) {
  size_t len = strlen(link);
  const char *base;
  if (len > 0 && mklink__path_is_sep(MKLINK__PATH_NATIVE, link[len - 1]))
    return "";
  base = mm_basename(link);
  return base[0] == '.' ? base + 1 : base;
}

static int one_link(parser *p, const yaml_node_t *k, const yaml_node_t *v) {
  link_opts o = p->link_defaults;
  const char *raw_link, *raw_target = NULL, *note = NULL, *note2 = NULL;
  char *link, *target, *abs, msg[300];
  int path_given = 0, rc;
  struct link_site s;

  if (k->type != YAML_SCALAR_NODE || is_null(k))
    return expected(p, k, "a link path");
  raw_link = sval(k);
  if (v->type == YAML_MAPPING_NODE) {
    if ((rc = link_options(p, v, &o, &raw_target, &path_given)) != 0)
      return rc;
  } else if (v->type == YAML_SCALAR_NODE) {
    if ((rc = get_opt_string(p, v, &raw_target)) != 0)
      return rc;
  } else {
    return expected(p, v, "a target path or a mapping of link options");
  }
  if ((rc = mm_expand(p->m, raw_link, &link, &note)) != 0)
    return rc == MKLINK_ENOPATH
               ? mm_fail(p->m, line_of(k), col_of(k), "expected a home directory for ~ (HOME is not set)")
               : rc;
  if (mm_absolute(p->m, link, &abs) == 0)
    raw_link = abs; /* skipped entries name the path they would have made */
  if (o.os_set && !o.os_match) {
    snprintf(msg, sizeof msg, "for another OS (os: %s...): not this one (%s)", o.os_list,
             mm_os_name());
    return add_skip(p, k, "link", raw_link, msg);
  }
  if (o.if_cmd != NULL) {
    if (p->m->flags & MKLINK_MANIFEST_STRICT)
      return mm_fail(p->m, line_of(k), col_of(k),
                     "if: runs a shell command, which mklink never does (--strict)");
    snprintf(msg, sizeof msg, "if: '%.200s' is a shell command: mklink never runs commands",
             o.if_cmd);
    return add_skip(p, k, "if", raw_link, msg);
  }
  if (o.copy) {
    if (p->m->flags & MKLINK_MANIFEST_STRICT)
      return mm_fail(p->m, line_of(k), col_of(k), "type: copy is not a link (--strict)");
    return add_skip(p, k, "link", raw_link, "type: copy: mklink makes links, never copies");
  }
  if (raw_target == NULL)
    raw_target = default_target(link);
  if ((rc = mm_expand(p->m, raw_target, &target, &note2)) != 0)
    return rc == MKLINK_ENOPATH
               ? mm_fail(p->m, line_of(k), col_of(k), "expected a home directory for ~ (HOME is not set)")
               : rc;
  memset(&s, 0, sizeof s);
  s.p = p;
  s.at = k;
  s.link = link;
  s.pattern = target;
  s.o = &o;
  s.note = note != NULL ? note : note2;
  if (o.opts & MM_GLOB)
    return link_glob(&s);
  return add_link(&s, link, target);
}

static int directive_link(parser *p, const yaml_node_t *v) {
  yaml_node_pair_t *pr;
  int rc;
  if (v->type != YAML_MAPPING_NODE)
    return expected(p, v, "a mapping of link paths to targets");
  for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++)
    if ((rc = one_link(p, node_at(p, pr->key), node_at(p, pr->value))) != 0)
      return rc;
  return 0;
}

/* ---- create: and clean: ------------------------------------------------------ */

static int add_dir(parser *p, const yaml_node_t *at, const char *raw, unsigned mode) {
  const char *note = NULL;
  char *path, *abs;
  mm_entry *e;
  int rc = mm_expand(p->m, raw, &path, &note);
  if (rc != 0)
    return rc == MKLINK_ENOPATH
               ? mm_fail(p->m, line_of(at), col_of(at), "expected a home directory for ~ (HOME is not set)")
               : rc;
  if ((rc = mm_absolute(p->m, path, &abs)) != 0)
    return rc;
  if ((e = mm_add(p->m, MKLINK_OP_MKDIR, "create", line_of(at), col_of(at))) == NULL)
    return MKLINK_ENOMEM;
  e->e.path = abs;
  e->e.note = note;
  e->mode = mode;
  return 0;
}

static int create_options(parser *p, const yaml_node_t *v, unsigned *mode) {
  yaml_node_pair_t *pr;
  int rc;
  if (v->type == YAML_SCALAR_NODE && is_null(v))
    return 0;
  if (v->type != YAML_MAPPING_NODE)
    return expected(p, v, "nothing or a mapping of create options (mode)");
  for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = node_at(p, pr->key);
    if (k->type != YAML_SCALAR_NODE || strcmp(sval(k), "mode") != 0)
      return mm_fail(p->m, line_of(k), col_of(k), "unknown create option (expected mode)");
    if ((rc = get_mode(p, node_at(p, pr->value), mode)) != 0)
      return rc;
  }
  return 0;
}

static int clean_options(parser *p, const yaml_node_t *v, unsigned *opts) {
  yaml_node_pair_t *pr;
  int rc, b = 0;
  if (v->type == YAML_SCALAR_NODE && is_null(v))
    return 0;
  if (v->type != YAML_MAPPING_NODE)
    return expected(p, v, "nothing or a mapping of clean options (force, recursive)");
  for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = node_at(p, pr->key);
    unsigned bit;
    if (k->type == YAML_SCALAR_NODE && strcmp(sval(k), "force") == 0)
      bit = MM_CLEAN_FORCE;
    else if (k->type == YAML_SCALAR_NODE && strcmp(sval(k), "recursive") == 0)
      bit = MM_CLEAN_RECURSIVE;
    else
      return mm_fail(p->m, line_of(k), col_of(k),
                     "unknown clean option (expected force or recursive)");
    if ((rc = get_bool(p, node_at(p, pr->value), &b)) != 0)
      return rc;
    *opts = b ? *opts | bit : *opts & ~bit;
  }
  return 0;
}

static int clean_dir(parser *p, const yaml_node_t *at, const char *raw, unsigned opts) {
  char *path, *abs;
  int rc = mm_expand(p->m, raw, &path, NULL);
  if (rc != 0)
    return rc == MKLINK_ENOPATH
               ? mm_fail(p->m, line_of(at), col_of(at), "expected a home directory for ~ (HOME is not set)")
               : rc;
  if ((rc = mm_absolute(p->m, path, &abs)) != 0)
    return rc;
  return mm_clean(p->m, abs, opts, line_of(at), col_of(at));
}

/* create: and clean: share a shape: a list of paths, or a mapping of paths
   to options. */
static int directive_paths(parser *p, const yaml_node_t *v, int is_create) {
  yaml_node_item_t *it;
  yaml_node_pair_t *pr;
  const char *path;
  int rc;
  if (v->type == YAML_SEQUENCE_NODE) {
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
      yaml_node_t *n = node_at(p, *it);
      if ((rc = get_string(p, n, &path)) != 0)
        return rc;
      rc = is_create ? add_dir(p, n, path, p->create_mode) : clean_dir(p, n, path, p->clean_opts);
      if (rc != 0)
        return rc;
    }
    return 0;
  }
  if (v->type != YAML_MAPPING_NODE)
    return expected(p, v, is_create ? "a list of directories" : "a list of directories to clean");
  for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = node_at(p, pr->key), *val = node_at(p, pr->value);
    unsigned mode = p->create_mode, opts = p->clean_opts;
    if ((rc = get_string(p, k, &path)) != 0)
      return rc;
    if (is_create)
      rc = create_options(p, val, &mode);
    else
      rc = clean_options(p, val, &opts);
    if (rc != 0)
      return rc;
    rc = is_create ? add_dir(p, k, path, mode) : clean_dir(p, k, path, opts);
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* ---- shell: (never run) and defaults: ------------------------------------------ */

static int skip_command(parser *p, const yaml_node_t *n, const char *directive) {
  char msg[300];
  const char *cmd = NULL;
  if (p->m->flags & MKLINK_MANIFEST_STRICT)
    return mm_fail(p->m, line_of(n), col_of(n),
                   "%s: runs shell commands, which mklink never does (--strict)", directive);
  if (n->type == YAML_SCALAR_NODE && !is_null(n))
    cmd = sval(n);
  else if (n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.start < n->data.sequence.items.top &&
           node_at(p, n->data.sequence.items.start[0])->type == YAML_SCALAR_NODE)
    cmd = sval(node_at(p, n->data.sequence.items.start[0]));
  else if (n->type == YAML_MAPPING_NODE) {
    yaml_node_pair_t *pr;
    for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
      yaml_node_t *k = node_at(p, pr->key), *val = node_at(p, pr->value);
      if (k->type == YAML_SCALAR_NODE && strcmp(sval(k), "command") == 0 &&
          val->type == YAML_SCALAR_NODE)
        cmd = sval(val);
    }
  }
  snprintf(msg, sizeof msg, "%s: '%.200s' is not run: mklink never runs commands", directive,
           cmd != NULL ? cmd : "...");
  return add_skip(p, n, directive, NULL, msg);
}

static int directive_shell(parser *p, const yaml_node_t *v) {
  yaml_node_item_t *it;
  int rc;
  if (v->type != YAML_SEQUENCE_NODE)
    return skip_command(p, v, "shell");
  for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
    if ((rc = skip_command(p, node_at(p, *it), "shell")) != 0)
      return rc;
  return 0;
}

static int directive_defaults(parser *p, const yaml_node_t *v) {
  yaml_node_pair_t *pr;
  int rc;
  if (v->type != YAML_MAPPING_NODE)
    return expected(p, v, "a mapping of directives to their default options");
  /* dotbot: each defaults: replaces the earlier ones as a whole. */
  memset(&p->link_defaults, 0, sizeof p->link_defaults);
  p->create_mode = 0777;
  p->clean_opts = 0;
  for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = node_at(p, pr->key), *val = node_at(p, pr->value);
    const char *name;
    if ((rc = get_string(p, k, &name)) != 0)
      return rc;
    if (strcmp(name, "shell") == 0)
      continue; /* options of commands that are never run */
    if (val->type != YAML_MAPPING_NODE && !(val->type == YAML_SCALAR_NODE && is_null(val)))
      return expected(p, val, "a mapping of options");
    if (val->type != YAML_MAPPING_NODE)
      continue;
    if (strcmp(name, "link") == 0)
      rc = link_options(p, val, &p->link_defaults, NULL, NULL);
    else if (strcmp(name, "create") == 0)
      rc = create_options(p, val, &p->create_mode);
    else if (strcmp(name, "clean") == 0)
      rc = clean_options(p, val, &p->clean_opts);
    else
      rc = mm_fail(p->m, line_of(k), col_of(k),
                   "unknown directive '%.60s' in defaults (expected link, create, clean or shell)",
                   name);
    if (rc != 0)
      return rc;
  }
  return 0;
}

static int one_task(parser *p, const yaml_node_t *task) {
  yaml_node_pair_t *pr;
  int rc;
  if (task->type != YAML_MAPPING_NODE)
    return expected(p, task, "a task (a mapping such as 'link:')");
  for (pr = task->data.mapping.pairs.start; pr < task->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = node_at(p, pr->key), *v = node_at(p, pr->value);
    const char *name;
    if (k->type != YAML_SCALAR_NODE || is_null(k))
      return expected(p, k, "a directive (defaults, link, create, clean or shell)");
    name = sval(k);
    if (strcmp(name, "link") == 0)
      rc = directive_link(p, v);
    else if (strcmp(name, "create") == 0)
      rc = directive_paths(p, v, 1);
    else if (strcmp(name, "clean") == 0)
      rc = directive_paths(p, v, 0);
    else if (strcmp(name, "shell") == 0)
      rc = directive_shell(p, v);
    else if (strcmp(name, "defaults") == 0)
      rc = directive_defaults(p, v);
    else if (strcmp(name, "if") == 0)
      rc = skip_command(p, v, "if"); /* dotbot's conditional: a shell test */
    else
      rc = mm_fail(p->m, line_of(k), col_of(k),
                   "unknown directive '%.60s' (expected defaults, link, create, clean or shell)",
                   name);
    if (rc != 0)
      return rc;
  }
  return 0;
}

static int yaml_error(mklink_manifest *m, const yaml_parser_t *y) {
  const yaml_mark_t *mark = y->problem != NULL ? &y->problem_mark : &y->context_mark;
  if (y->error == YAML_MEMORY_ERROR)
    return MKLINK_ENOMEM;
  if (y->context != NULL)
    return mm_fail(m, (unsigned)mark->line + 1, (unsigned)mark->column + 1,
                   "not valid YAML: %s %s", y->problem != NULL ? y->problem : "error", y->context);
  return mm_fail(m, (unsigned)mark->line + 1, (unsigned)mark->column + 1, "not valid YAML: %s",
                 y->problem != NULL ? y->problem : "error");
}

int mm_parse(mklink_manifest *m, const char *data, size_t len) {
  yaml_parser_t y;
  yaml_document_t doc;
  yaml_node_t *root;
  yaml_node_item_t *it;
  parser p;
  int rc = 0;

  if (!yaml_parser_initialize(&y))
    return MKLINK_ENOMEM;
  yaml_parser_set_input_string(&y, (const unsigned char *)data, len);
  if (!yaml_parser_load(&y, &doc)) {
    rc = yaml_error(m, &y);
    yaml_parser_delete(&y);
    return rc;
  }
  memset(&p, 0, sizeof p);
  p.m = m;
  p.doc = &doc;
  p.create_mode = 0777;
  root = yaml_document_get_root_node(&doc);
  if (root == NULL) {
    /* An empty file: nothing to do, as dotbot. */
  } else if (root->type != YAML_SEQUENCE_NODE) {
    rc = expected(&p, root, "a list of tasks (each '- link:', '- create:', ...)");
  } else {
    for (it = root->data.sequence.items.start; rc == 0 && it < root->data.sequence.items.top; it++)
      rc = one_task(&p, node_at(&p, *it));
  }
  /* One document only: a second one would be silently ignored otherwise. */
  if (rc == 0 && root != NULL) {
    yaml_document_t more;
    if (!yaml_parser_load(&y, &more)) {
      rc = yaml_error(m, &y);
    } else {
      yaml_node_t *r2 = yaml_document_get_root_node(&more);
      if (r2 != NULL)
        rc = mm_fail(m, line_of(r2), col_of(r2), "expected one YAML document, found a second");
      yaml_document_delete(&more);
    }
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&y);
  return rc;
}

#endif /* MKLINK_HAVE_YAML */
