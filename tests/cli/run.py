#!/usr/bin/env python3
"""Run the mklink conformance table (cases.py) against one mklink binary.

  run.py --mklink build/default/src/cli/mklink              # native
  run.py --mklink build/mingw/src/cli/mklink.exe --wine     # mklink.exe under Wine
  run.py --mklink ... --preload build/default/tests/cli/libmklink_fake_netfs.so
  run.py --mklink build/mingw/src/cli/mklink.exe --wine --unbridged  # no Wine bridge

Under Wine the command is `wine mklink.exe ...` with the caller's WINEPREFIX
and WINEDEBUG, and the file system is checked from the Linux side.
mklink.exe writes CRLF line ends (text-mode stdio, as cmd does), so expected
text gets CRLF there.  Where the system cannot really make a kind of link a
case needs (as `mklink --capabilities --json` reports), the case asserts the
honest failure instead and is counted as such; where mklink.exe makes them
through the Wine bridge (Unix symbolic links), the case asserts the real
result and is counted as "real (wine bridge)", and so are the cases whose
setup has POSIX symbolic links (unix_links), which Windows code sees as links
only through the bridge (they are skipped where it is not in use).  With
--unbridged, Wine runs under `setarch i686`: Linux's uname() then answers
i686, so the bridge's proof fails as on a host it does not support, and the
run requires that mklink reports no bridged kind and fails honestly.  Cases marked "preload" run
with the --preload libraries in LD_PRELOAD (the fake network file system,
tests/cli/fake_netfs.c, after any sanitizer runtime that must come first);
without --preload they are skipped with that reason.

Cases marked "mounts" run on file systems mounted for the case (two tmpfs
mounts for a cross-device link, a FAT image through fusefat): only as root in
a private mount namespace.  Natively, run.py as root puts itself into one
(unshare -m --propagation private) before it starts; under Wine it does not
(a second wineserver would share the prefix with the running one), so those
cases run with --mounts-only inside ci/wine-tree's namespace and are skipped,
with that reason, elsewhere.  Exit status: 0 if no case failed.
"""
import argparse
import errno
import json
import os
import pty
import re
import resource
import select
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as table  # noqa: E402

# What a system that cannot make a kind of link must say (include/mklink.h:
# MKLINK_ENOTCREATED and MKLINK_ENOTSUP; for a symbolic link in the Windows
# syntax, cmd's own text for MKLINK_ENOTSUP).
HONEST_MESSAGES = (
    "The system reported success but created no link: this kind of link is not "
    "supported here.",
    "The request is not supported.",
    "The device does not support symbolic links.",
)


class Skip(Exception):
    pass


def mount_namespace():
    return os.stat("/proc/self/ns/mnt").st_ino


def in_private_mount_namespace():
    """Not the namespace of init, of the process that started run.py in a
    new one (MKLINK_CLI_OUTER_NS), or ci/wine-tree's (MKLINK_TREE_SANDBOX)."""
    try:
        return mount_namespace() != os.stat("/proc/1/ns/mnt").st_ino
    except OSError:  # init's namespace may be out of sight (a container)
        pass
    outer = os.environ.get("MKLINK_CLI_OUTER_NS")
    if outer:
        return str(mount_namespace()) != outer
    return os.environ.get("MKLINK_TREE_SANDBOX") == "1"


def mount_skip_reason(kinds):
    """Why cases needing mounts of KINDS cannot run here, or None."""
    if os.geteuid() != 0:
        return "mounting file systems for a case needs root"
    if not in_private_mount_namespace():
        return "mounts only in a private mount namespace (natively run.py makes one as root; " \
               "under Wine ci/wine-tree runs these)"
    if "vfat" in kinds:
        for tool in ("mkfs.vfat", "fusefat"):
            if shutil.which(tool) is None:
                return "a FAT file system needs %s (Debian dosfstools, fusefat)" % tool
        if fusermount() is None:
            return "a FAT file system through fusefat needs fusermount (Debian fuse or fuse3)"
        if not os.path.exists("/dev/fuse"):
            return "a FAT file system through fusefat needs /dev/fuse"
        if not os.access("/dev/fuse", os.R_OK | os.W_OK):
            # fusefat then exits 0 having mounted nothing (a user namespace's
            # "root" is still the user it maps for /dev/fuse's mode).
            return "a FAT file system through fusefat needs /dev/fuse open to this user"
    return None


def fusermount():
    return shutil.which("fusermount") or shutil.which("fusermount3")


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Runner:
    def __init__(self, mklink, wine, workdir, preload=None, unbridged=False):
        self.wine = bool(wine)
        self.blind = bool(wine) and unbridged
        # setarch i686: Linux's uname() answers i686 (see --unbridged)
        self.launcher = ["setarch", "i686"] if unbridged else []
        self.cmd = self.launcher + ([wine, mklink] if wine else [mklink])
        self.wine_cmd = self.launcher + [wine]
        self.workdir = workdir
        self.preload = [os.path.abspath(p) for p in preload or []]
        self.caps = set()
        self.bridged = set()
        self.wine_version = ""
        self.mklink = mklink
        self.images = 0

    # ---- platform views ----------------------------------------------------
    def expand(self, text, root, for_windows):
        if text is None:
            return None
        if for_windows and self.wine:
            text = text.replace("{root}", "Z:" + root.replace("/", "\\"))
            text = text.replace("{mklink}", "Z:" + self.mklink.replace("/", "\\"))
        else:
            text = text.replace("{root}", root)
            text = text.replace("{mklink}", self.mklink)
        return text.replace("{wine_version}", self.wine_version)

    def reason(self, text):
        """A skip reason, naming the Wine that really runs."""
        return text.replace("{wine}", ("Wine " + self.wine_version).strip())

    def eol(self, text):
        return text.replace("\n", "\r\n") if self.wine else text

    def run(self, args, cwd, env=None, preload=False, nofile=None, stdout_path=None,
            command=None):
        """Run mklink with ARGS in CWD, ENV added to the environment and,
        with PRELOAD, the --preload libraries first in LD_PRELOAD; with
        NOFILE, under that RLIMIT_NOFILE; with STDOUT_PATH, its stdout opened
        on that file (e.g. /dev/full); COMMAND instead of mklink ARGS."""
        environ = dict(os.environ)
        environ.update(env or {})
        if preload:
            environ["LD_PRELOAD"] = ":".join(self.preload + [p for p in [os.environ.get("LD_PRELOAD")] if p])

        def limit():
            if nofile is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        # Output goes to files, not pipes: under Wine, helper processes that
        # wine starts inherit the pipes and hold them open for seconds after
        # mklink.exe has exited; a file is read as soon as it has.
        with tempfile.TemporaryFile(dir=self.workdir) as out, \
                tempfile.TemporaryFile(dir=self.workdir) as err:
            stdout = open(stdout_path, "wb") if stdout_path else out
            try:
                proc = subprocess.run(command or self.cmd + args, cwd=cwd, stdin=subprocess.DEVNULL,
                                      env=environ, stdout=stdout, stderr=err, timeout=120,
                                      preexec_fn=limit if nofile is not None else None)
            finally:
                if stdout_path:
                    stdout.close()
            out.seek(0)
            err.seek(0)
            return proc.returncode, out.read().decode("utf-8"), err.read().decode("utf-8")

    def run_console(self, args, cwd):
        """Run mklink ARGS on a terminal (a pty: under Wine a console), both
        streams on it.  Returns the exit code and what the terminal got,
        without terminal control sequences or carriage returns."""
        master, slave = pty.openpty()
        environ = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        proc = subprocess.Popen(self.cmd + args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave,
                                env=environ, close_fds=True)
        os.close(slave)
        got = b""
        try:
            while True:
                ready, _, _ = select.select([master], [], [], 120)
                if not ready:
                    break
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the terminal's last writer has gone
                    break
                if not data:
                    break
                got += data
        finally:
            os.close(master)
            code = proc.wait(timeout=120)
        return code, ANSI.sub("", got.decode("utf-8", errors="surrogateescape")).replace("\r", "")

    def write_batch(self, root, lines):
        """Write LINES (each a string as typed, or ["list2cmdline", argv]
        for the line Python's subprocess builds) to ROOT/run.bat."""
        text = "@echo off\r\n"
        for line in lines:
            if isinstance(line, str):
                text += self.expand(line, root, True) + "\r\n"
            else:
                text += subprocess.list2cmdline([self.expand(a, root, True) for a in line[1]]) + "\r\n"
        with open(os.path.join(root, "run.bat"), "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def run_batch(self, root):
        """Run ROOT/run.bat with `wine cmd /c`."""
        bat = self.expand("{root}\\run.bat", root, True)
        return self.run([], root, command=self.wine_cmd + ["cmd", "/c", bat])

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
        self.bridged = set(caps.get("bridged") or [])
        self.wine_version = caps.get("emulator_version") or ""
        return caps

    KINDS = {"symlink": ["file_symlink", "dir_symlink"], "junction": ["junction"]}

    def can(self, need):
        return all(k in self.caps for k in self.KINDS[need])

    def bridges(self, need):
        return all(k in self.bridged for k in self.KINDS[need])

    # ---- file system -------------------------------------------------------
    def mount(self, root, spec, mounted):
        """Mount, under ROOT, each {path: "tmpfs" | "vfat"} of SPEC; what was
        mounted is appended to MOUNTED (unmounted in reverse order after)."""
        for path, kind in sorted(spec.items()):
            full = os.path.join(root, path)
            os.makedirs(full, exist_ok=True)
            if kind == "tmpfs":
                subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "mklink-case", full],
                               check=True)
                mounted.append(["umount", full])
            elif kind == "vfat":
                self.images += 1
                image = os.path.join(self.workdir, "fat-%d.img" % self.images)
                with open(image, "wb") as f:
                    f.truncate(8 << 20)
                subprocess.run(["mkfs.vfat", image], check=True, stdout=subprocess.DEVNULL)
                subprocess.run(["fusefat", "-o", "rw+", image, full], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if not os.path.ismount(full):
                    # fusefat can exit 0 without a mount: never run a FAT
                    # case on the plain directory underneath.
                    raise RuntimeError("fusefat mounted nothing at %s" % full)
                mounted.append([fusermount(), "-u", full])
            else:
                raise ValueError("bad mount spec %r" % kind)

    @staticmethod
    def unmount(mounted):
        for command in reversed(mounted):
            subprocess.run(command, check=True)

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
        """Returns "real", "bridge" or "honest"; raises AssertionError or Skip."""
        if self.wine and case.get("native_only"):
            raise Skip(self.reason(case["native_only"]))
        if not self.wine and case.get("windows_only"):
            raise Skip(case["windows_only"])
        for prefix, why in case.get("wine_skip", {}).items() if self.wine else ():
            if self.wine_version.startswith(prefix):
                raise Skip(self.reason(why))
        if case.get("preload") and not self.preload:
            raise Skip("needs the fake network file system library (run.py --preload)")
        if case.get("mounts"):
            reason = mount_skip_reason(set(case["mounts"].values()))
            if reason:
                raise Skip(reason)
        bridge = self.wine and (any(self.bridges(n) for n in case.get("needs", []))
                                or case.get("unix_links", False))
        if self.wine and case.get("unix_links") and not self.bridges("symlink"):
            raise Skip("the setup makes POSIX symbolic links, which Windows code sees as links "
                       "only through the Wine bridge, not in use here")
        c = dict(case)
        if self.wine:
            c.update(case.get("windows", {}))
        if self.wine and self.bridged:
            c.update(case.get("wine_bridge", {}))
            bridge = bridge or "wine_bridge" in case
        if self.blind:
            c.update(case.get("wine_blind", {}))
        honest = c.get("code", 0) == 0 and not all(self.can(n) for n in c.get("needs", []))
        root = tempfile.mkdtemp(prefix="case-", dir=self.workdir)
        mounted = []
        try:
            self.mount(root, c.get("mounts", {}), mounted)
            self.setup(root, c.get("setup", {}))
            if c.get("slow_setup"):
                getattr(self, c["slow_setup"])(root)
            if c.get("batch"):
                self.write_batch(root, c["batch"])  # in both snapshots
            before = self.snapshot(root)
            cwd = os.path.join(root, c.get("cwd", ""))
            env = {k: self.expand(v, root, True) for k, v in c.get("env", {}).items()}
            args = [self.expand(a, root, True) for a in c.get("args", [])]
            if c.get("console"):
                code, screen = self.run_console(args, cwd)
                out, err = screen, ""
            elif c.get("batch"):
                code, out, err = self.run_batch(root)
            else:
                code, out, err = self.run(args, cwd, env, c.get("preload", False),
                                          c.get("nofile"), c.get("stdout_file"))
            after = self.snapshot(root)
            if honest:
                self.expect_honest_failure(code, out, err, before, after)
                return "honest"
            self.expect_output(c, root, code, out, err)
            self.expect_state(c, root, before, after)
            return "bridge" if bridge else "real"
        finally:
            self.unmount(mounted)
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
        if "stderr_contains" in c:
            want = self.eol(c["stderr_contains"])
            assert want in err, "stderr %r does not contain %r" % (err, want)
        else:
            want_err = self.eol(self.expand(c.get("stderr", ""), root, True))
            assert err == want_err, "stderr\n    got:  %r\n    want: %r" % (err, want_err)
        if c.get("console"):  # the terminal shows "\n" (its carriage returns dropped)
            want = self.expand(c.get("stdout", ""), root, True)
            got = "".join(sorted(out.splitlines(True))) if c.get("sort") else out
            want = "".join(sorted(want.splitlines(True))) if c.get("sort") else want
            assert got == want, "terminal\n    got:  %r\n    want: %r" % (got, want)
            assert code == c.get("code", 0), "exit code %d, want %d" % (code, c.get("code", 0))
            return
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
    ap.add_argument("--unbridged", action="store_true",
                    help="with --wine: run it under `setarch i686`, where the Wine bridge "
                         "cannot be proven, and require the honest failures")
    ap.add_argument("--workdir", help="where case directories are made (default: the temp dir)")
    ap.add_argument("-k", dest="pattern", help="run only cases whose name contains this")
    ap.add_argument("-v", action="store_true", help="name every case that passes")
    ap.add_argument("--mounts-only", action="store_true",
                    help="run only the cases that mount file systems (in a private mount namespace)")
    opts = ap.parse_args()

    # Natively, as root, the cases that mount file systems get a private mount
    # namespace: run.py runs itself again inside one.  (Not under Wine: see
    # the module's docstring.)
    if (not opts.wine and os.geteuid() == 0 and not in_private_mount_namespace()
            and shutil.which("unshare") and "MKLINK_CLI_OUTER_NS" not in os.environ
            and subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                               stderr=subprocess.DEVNULL).returncode == 0):
        os.environ["MKLINK_CLI_OUTER_NS"] = str(mount_namespace())
        sys.stdout.flush()
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private",
                              sys.executable, os.path.abspath(__file__)] + sys.argv[1:])

    names = [c["name"] for c in table.CASES]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SystemExit("duplicate case names: %s" % ", ".join(dup))
    unmarked = [c["name"] for c in table.CASES if c.get("preload") and not c.get("native_only")]
    if unmarked:
        raise SystemExit("preload cases must be native_only: %s" % ", ".join(unmarked))
    if opts.unbridged and not opts.wine:
        raise SystemExit("--unbridged needs --wine")
    if opts.wine and opts.preload:
        raise SystemExit("--preload works on native executables only, not with --wine")
    for lib in opts.preload or []:
        if not os.path.isfile(lib):
            # The loader would only warn and run without it.
            raise SystemExit("--preload %s: no such file" % lib)
    workdir = tempfile.mkdtemp(prefix="mklink-cli-", dir=opts.workdir)
    runner = Runner(os.path.abspath(opts.mklink), opts.wine, workdir, opts.preload,
                    opts.unbridged)
    try:
        caps = runner.probe()
        label = "native"
        if opts.wine:
            label = "%s %s" % (caps.get("emulator") or "windows", runner.wine_version)
        if opts.unbridged:
            label += ", Wine bridge unproven: setarch i686"
            if runner.bridged:
                raise SystemExit("--unbridged: mklink still reports bridged kinds %s: the "
                                 "bridge's proof did not fail" % sorted(runner.bridged))
        counts = {"real": 0, "bridge": 0, "honest": 0}
        failed, skipped = [], []
        for case in table.CASES:
            if opts.pattern and opts.pattern not in case["name"]:
                continue
            if opts.mounts_only and not case.get("mounts"):
                continue
            try:
                kind = runner.check_case(case)
                counts[kind] += 1
                if opts.v:
                    note = {"honest": " (honest failure)", "bridge": " (wine bridge)"}.get(kind, "")
                    print("ok       %s%s" % (case["name"], note))
            except Skip as e:
                skipped.append(str(e))
                print("skipped  %s: %s" % (case["name"], e))
            except (AssertionError, UnicodeDecodeError, ValueError, OSError,
                    subprocess.TimeoutExpired) as e:
                failed.append(case["name"])
                print("FAILED   %s: %s" % (case["name"], e))
        passed = counts["real"] + counts["bridge"] + counts["honest"]
        detail = ""
        if opts.wine or counts["honest"]:
            bridged = ", %d real (wine bridge)" % counts["bridge"] if runner.bridged else ""
            detail = " (%d real%s, %d honest failure)" % (counts["real"], bridged, counts["honest"])
        skip = ""
        if skipped:
            why = sorted(set(skipped), key=lambda r: (-skipped.count(r), r))
            skip = ", %d skipped (%s)" % (
                len(skipped), "; ".join("%s x%d" % (r, skipped.count(r)) for r in why))
        title = "cli mount cases" if opts.mounts_only else "cli conformance"
        print("%s (%s): %d passed%s%s, %d failed" % (title, label, passed, detail, skip, len(failed)))
        return 1 if failed else 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
