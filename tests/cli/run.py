#!/usr/bin/env python3
"""Run the mklink conformance table (cases.py) against one mklink binary.

  run.py --mklink build/default/src/cli/mklink              # native
  run.py --mklink build/mingw/src/cli/mklink.exe --wine     # mklink.exe under Wine
  run.py --mklink ... --preload build/default/tests/cli/libmklink_fake_netfs.so

Under Wine the command is `wine mklink.exe ...` with the caller's WINEPREFIX
and WINEDEBUG, and the file system is checked from the Linux side.
mklink.exe writes CRLF line ends (text-mode stdio, as cmd does), so expected
text gets CRLF there.  Where the system cannot really make a kind of link a
case needs (as `mklink --capabilities --json` reports), the case asserts the
honest failure instead and is counted as such.  Cases marked "preload" run
with the --preload libraries in LD_PRELOAD (the fake network file system,
tests/cli/fake_netfs.c, after any sanitizer runtime that must come first);
without --preload they are skipped with that reason.  Exit status: 0 if no
case failed.
"""
import argparse
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as table  # noqa: E402

# What a system that cannot make a kind of link must say (include/mklink.h:
# MKLINK_ENOTCREATED and MKLINK_ENOTSUP).
HONEST_MESSAGES = (
    "The system reported success but created no link: this kind of link is not "
    "supported here.",
    "The request is not supported.",
)


class Skip(Exception):
    pass


class Runner:
    def __init__(self, mklink, wine, workdir, preload=None):
        self.wine = bool(wine)
        self.cmd = [wine, mklink] if wine else [mklink]
        self.workdir = workdir
        self.preload = [os.path.abspath(p) for p in preload or []]
        self.caps = set()
        self.wine_version = ""

    # ---- platform views ----------------------------------------------------
    def expand(self, text, root, for_windows):
        if text is None:
            return None
        if for_windows and self.wine:
            text = text.replace("{root}", "Z:" + root.replace("/", "\\"))
        else:
            text = text.replace("{root}", root)
        return text.replace("{wine_version}", self.wine_version)

    def eol(self, text):
        return text.replace("\n", "\r\n") if self.wine else text

    def run(self, args, cwd, env=None, preload=False):
        """Run mklink with ARGS in CWD, ENV added to the environment and,
        with PRELOAD, the --preload libraries first in LD_PRELOAD."""
        environ = dict(os.environ)
        environ.update(env or {})
        if preload:
            environ["LD_PRELOAD"] = ":".join(self.preload + [p for p in [os.environ.get("LD_PRELOAD")] if p])
        # Output goes to files, not pipes: under Wine, helper processes that
        # wine starts inherit the pipes and hold them open for seconds after
        # mklink.exe has exited; a file is read as soon as it has.
        with tempfile.TemporaryFile(dir=self.workdir) as out, \
                tempfile.TemporaryFile(dir=self.workdir) as err:
            proc = subprocess.run(self.cmd + args, cwd=cwd, stdin=subprocess.DEVNULL, env=environ,
                                  stdout=out, stderr=err, timeout=120)
            out.seek(0)
            err.seek(0)
            return proc.returncode, out.read().decode("utf-8"), err.read().decode("utf-8")

    def probe(self):
        """What this system can really create, as mklink itself reports it."""
        root = tempfile.mkdtemp(prefix="probe-", dir=self.workdir)
        try:
            code, out, err = self.run(["--capabilities", "--json"], root)
        finally:
            shutil.rmtree(root)
        if code != 0:
            raise SystemExit("mklink --capabilities failed (%d): %s" % (code, err))
        caps = json.loads(out.splitlines()[0])
        self.caps = set(caps["real"]) | set(caps["simulated"])
        self.wine_version = caps.get("emulator_version") or ""
        return caps

    def can(self, need):
        kinds = {"symlink": ["file_symlink", "dir_symlink"], "junction": ["junction"]}[need]
        return all(k in self.caps for k in kinds)

    # ---- file system -------------------------------------------------------
    def setup(self, root, spec):
        def order(item):
            path, what = item
            return (what != "dir", what.startswith(("hard:", "link:")), path)
        for path, what in sorted(spec.items(), key=order):
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if what == "dir":
                os.makedirs(full, exist_ok=True)
            elif what.startswith("file:"):
                with open(full, "w", encoding="utf-8") as f:
                    f.write(what[5:])
            elif what.startswith("hard:"):
                os.link(os.path.join(root, what[5:]), full)
            elif what.startswith("link:"):
                os.symlink(self.expand(what[5:], root, False), full)
            else:
                raise ValueError("bad setup spec %r" % what)

    @staticmethod
    def snapshot(root):
        """Every entry under ROOT: (type and content or link text, inode)."""
        state = {}

        def walk(dirpath, rel):
            with os.scandir(dirpath) as it:
                for e in it:
                    r = os.path.join(rel, e.name) if rel else e.name
                    st = e.stat(follow_symlinks=False)
                    if e.is_symlink():
                        state[r] = ("link:" + os.readlink(e.path), st.st_ino)
                    elif e.is_dir(follow_symlinks=False):
                        state[r] = ("dir", st.st_ino)
                        walk(e.path, r)
                    else:
                        with open(e.path, "r", encoding="utf-8", errors="replace") as f:
                            state[r] = ("file:" + f.read(), st.st_ino)
        walk(root, "")
        return state

    def link_limit(self, root):
        """full/f with as many names as the file system allows."""
        os.makedirs(os.path.join(root, "full"))
        first = os.path.join(root, "full", "f")
        with open(first, "w") as f:
            f.write("x")
        for i in range(70000):
            try:
                os.link(first, os.path.join(root, "full", "n%d" % i))
            except OSError as e:
                if e.errno == errno.EMLINK:
                    return
                raise
        raise Skip("this file system allows more than 70000 names per file")

    # ---- one case ----------------------------------------------------------
    def check_case(self, case):
        """Returns "real" or "honest"; raises AssertionError or Skip."""
        if self.wine and case.get("native_only"):
            raise Skip(case["native_only"])
        if case.get("preload") and not self.preload:
            raise Skip("needs the fake network file system library (run.py --preload)")
        c = dict(case)
        if self.wine:
            c.update(case.get("windows", {}))
        honest = c.get("code", 0) == 0 and not all(self.can(n) for n in c.get("needs", []))
        root = tempfile.mkdtemp(prefix="case-", dir=self.workdir)
        try:
            self.setup(root, c.get("setup", {}))
            if c.get("slow_setup"):
                getattr(self, c["slow_setup"])(root)
            before = self.snapshot(root)
            cwd = os.path.join(root, c.get("cwd", ""))
            env = {k: self.expand(v, root, True) for k, v in c.get("env", {}).items()}
            code, out, err = self.run([self.expand(a, root, True) for a in c["args"]], cwd,
                                      env, c.get("preload", False))
            after = self.snapshot(root)
            if honest:
                self.expect_honest_failure(code, out, err, before, after)
                return "honest"
            self.expect_output(c, root, code, out, err)
            self.expect_state(c, root, before, after)
            return "real"
        finally:
            shutil.rmtree(root)

    def expect_honest_failure(self, code, out, err, before, after):
        assert code == 1, "an honest failure exits 1, got %d" % code
        assert "created for" not in out, "a 'created' line for a link not made: %r" % out
        for line in out.splitlines():
            assert json.loads(line).get("ok") is False, "JSON claims success: %r" % line
        assert err.endswith("\r\n" if self.wine else "\n"), "stderr line end: %r" % err
        assert err.rstrip("\r\n") in HONEST_MESSAGES, "not the not-supported message: %r" % err
        assert after == before, "file system changed: %s" % diff(before, after)

    def expect_output(self, c, root, code, out, err):
        want_err = self.eol(self.expand(c.get("stderr", ""), root, True))
        assert err == want_err, "stderr\n    got:  %r\n    want: %r" % (err, want_err)
        if "json" in c:
            self.expect_json(c["json"], root, out, c.get("sort"))
        elif "stdout_startswith" in c:
            want = self.eol(c["stdout_startswith"])
            assert out.startswith(want), "stdout starts %r, want %r" % (out[:80], want)
        else:
            want = self.eol(self.expand(c.get("stdout", ""), root, True))
            got = out
            if c.get("sort"):
                got = "".join(sorted(out.splitlines(True)))
                want = "".join(sorted(want.splitlines(True)))
            assert got == want, "stdout\n    got:  %r\n    want: %r" % (got, want)
        assert code == c.get("code", 0), "exit code %d, want %d" % (code, c.get("code", 0))

    def expect_json(self, expected, root, out, ignore_order):
        if self.wine:
            assert out.count("\n") == out.count("\r\n"), "JSON lines must end in CRLF: %r" % out
        lines = out.splitlines()
        assert len(lines) == len(expected), "%d JSON lines, want %d: %r" % (len(lines), len(expected), out)
        objs = [json.loads(line) for line in lines]  # strict: bad escapes or UTF-8 fail
        if ignore_order:
            objs.sort(key=lambda o: json.dumps(o, sort_keys=True))
        for obj, want in zip(objs, expected):
            for key, value in want.items():
                if isinstance(value, str):
                    value = self.expand(value, root, True)
                assert key in obj, "JSON %r has no %r" % (obj, key)
                assert obj[key] == value, "JSON %r: %r is %r, want %r" % (obj, key, obj[key], value)

    def expect_state(self, c, root, before, after):
        want = {k: v for k, v in before.items() if k not in c.get("removes", [])}
        for path, spec in c.get("adds", {}).items():
            spec = self.expand(spec, root, False)
            if spec.startswith("hard:"):
                assert spec[5:] in after, "hard link target %s is gone" % spec[5:]
                want[path] = after[spec[5:]]
            else:
                assert path in after, "%s was not created" % path
                want[path] = (spec, after[path][1])
        assert after == want, "file system: %s" % diff(want, after)
        for a, b in c.get("same", []):
            sa = os.stat(os.path.join(root, a), follow_symlinks=False)
            sb = os.stat(os.path.join(root, b), follow_symlinks=False)
            assert (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino), "%s and %s are not one file" % (a, b)


def diff(want, got):
    lines = ["%s: want %r, got %r" % (k, want.get(k), got.get(k))
             for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)]
    return "; ".join(lines[:10]) or "(no difference)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mklink", required=True, help="the mklink (or mklink.exe) to test")
    ap.add_argument("--wine", nargs="?", const="wine", metavar="WINE",
                    help="run it as `WINE MKLINK` (default: wine)")
    ap.add_argument("--preload", action="append", metavar="LIB",
                    help="a library to put in LD_PRELOAD for cases marked preload (repeatable, "
                         "in order: a sanitizer runtime that must come first, then the fake "
                         "network file system)")
    ap.add_argument("--workdir", help="where case directories are made (default: the temp dir)")
    ap.add_argument("-k", dest="pattern", help="run only cases whose name contains this")
    ap.add_argument("-v", action="store_true", help="name every case that passes")
    opts = ap.parse_args()

    names = [c["name"] for c in table.CASES]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SystemExit("duplicate case names: %s" % ", ".join(dup))
    unmarked = [c["name"] for c in table.CASES if c.get("preload") and not c.get("native_only")]
    if unmarked:
        raise SystemExit("preload cases must be native_only: %s" % ", ".join(unmarked))
    if opts.wine and opts.preload:
        raise SystemExit("--preload works on native executables only, not with --wine")
    for lib in opts.preload or []:
        if not os.path.isfile(lib):
            # The loader would only warn and run without it.
            raise SystemExit("--preload %s: no such file" % lib)
    workdir = tempfile.mkdtemp(prefix="mklink-cli-", dir=opts.workdir)
    runner = Runner(os.path.abspath(opts.mklink), opts.wine, workdir, opts.preload)
    try:
        caps = runner.probe()
        label = "native"
        if opts.wine:
            label = "%s %s" % (caps.get("emulator") or "windows", runner.wine_version)
        counts = {"real": 0, "honest": 0}
        failed, skipped = [], []
        for case in table.CASES:
            if opts.pattern and opts.pattern not in case["name"]:
                continue
            try:
                kind = runner.check_case(case)
                counts[kind] += 1
                if opts.v:
                    print("ok       %s%s" % (case["name"], " (honest failure)" if kind == "honest" else ""))
            except Skip as e:
                skipped.append(case["name"])
                print("skipped  %s: %s" % (case["name"], e))
            except (AssertionError, UnicodeDecodeError, ValueError, OSError,
                    subprocess.TimeoutExpired) as e:
                failed.append(case["name"])
                print("FAILED   %s: %s" % (case["name"], e))
        passed = counts["real"] + counts["honest"]
        detail = ""
        if opts.wine or counts["honest"]:
            detail = " (%d real, %d honest failure)" % (counts["real"], counts["honest"])
        skip = ", %d skipped" % len(skipped) if skipped else ""
        print("cli conformance (%s): %d passed%s%s, %d failed" % (label, passed, detail, skip, len(failed)))
        return 1 if failed else 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
