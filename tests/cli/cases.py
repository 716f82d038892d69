"""The mklink conformance table: one row per case, run by run.py.

Each case is a dict:
  name     what the case shows (unique)
  args     the command line after "mklink"
  setup    {path: spec} made before the run, relative to the case directory:
             "dir", "file:TEXT", "link:TEXT" (a symbolic link whose text is
             TEXT), "hard:PATH" (another name of the setup file PATH)
  cwd      directory (relative) to run in; default the case directory
  stdout   expected stdout, exactly
  stdout_startswith  instead of stdout: its expected beginning
  stderr   expected stderr, exactly (default: empty)
  code     expected exit code (default 0)
  json     instead of stdout: a list of objects, one per stdout line, each
           line parsed with json.loads and compared key by key (keys not
           named are not checked)
  sort     compare stdout lines in sorted order (readdir order varies)
  adds     {path: spec} the run must add; "hard:PATH" means the same file
           as PATH.  Every entry not added or removed must be exactly as
           set up (same type, content, link text and inode): with no adds
           and no removes, the file system is unchanged.
  removes  [path]: entries the run must remove
  same     [(a, b)]: paths that must be one file (hard links)
  needs    kinds of link the case must really create ("symlink",
           "junction").  Where the system cannot make them (Wine 8), a case
           expecting success asserts the honest failure instead: exit 1, no
           "created" line, the not-supported message, nothing left behind.
  unix_links  True: the setup makes POSIX symbolic links ("link:" specs).
           Windows code sees them as links only through the Wine bridge:
           under Wine the case runs where the bridge is in use (counted as
           such), else it is skipped with that reason.
  native_only  why the case cannot run against mklink.exe, or absent
  wine_skip  {version prefix: why}: skipped under a Wine whose version starts
           so (a Wine bug fixed later; the case runs under the others)
  env      {NAME: value} added to mklink's environment for the run
  preload  True: run with run.py's --preload libraries in LD_PRELOAD (the
           fake network file system of fake_netfs.c: statfs() reports NFS
           for MKLINK_FAKE_NETFS_ROOT and below).  Without --preload the
           case is skipped with that reason; it must be native_only.
  windows  overrides of the keys above for the Windows run (mklink.exe)
  wine_bridge  further overrides where that run makes links through the Wine
           bridge (mklink --capabilities reports "bridged" kinds)
  wine_blind  further overrides where that run cannot reach the Unix side
           (run.py --unbridged): a second name of a file may be a disguised
           Unix link there, so deleting it is refused
  slow_setup  name of a Runner method that finishes the setup
  mounts   {path: "tmpfs" | "vfat"} file systems mounted at these paths before
           the setup (vfat: an 8 MiB FAT image through fusefat); the case
           runs only as root in a private mount namespace (run.py's
           docstring), else it is skipped with the reason
  nofile   run mklink with RLIMIT_NOFILE at this value (native only)
  stdout_file  mklink's stdout opened on this file instead (/dev/full)
  stderr_contains  instead of stderr: text stderr must contain
  console  run mklink on a terminal (a pty; under Wine a console) with
           both streams on it; stdout is what the terminal shows, without
           control sequences or carriage returns
  batch    instead of args: the lines of a batch file run by `wine cmd /c`
           (Windows only): a string is a line as typed ({mklink} is
           mklink.exe's Windows path), ["list2cmdline", argv] the line
           Python's subprocess.list2cmdline makes of argv
  windows_only  why the case runs only against mklink.exe, or absent

In args, env values, expected text and specs, "{root}" is the case
directory (on Windows, in args, env values and expected text: Z:\\ and
backslashes) and "{wine_version}" the emulator's version; in skip reasons
"{wine}" is the Wine that runs ("Wine 10.0").  Under Windows,
expected text gets CRLF line ends.
"""

HELP = (
    "Creates a symbolic link.\n"
    "\n"
    "MKLINK [[/D] | [/H] | [/J]] Link Target\n"
    "\n"
    "        /D      Creates a directory symbolic link.  Default is a file\n"
    "                symbolic link.\n"
    "        /H      Creates a hard link instead of a symbolic link.\n"
    "        /J      Creates a Directory Junction.\n"
    "        Link    Specifies the new symbolic link name.\n"
    "        Target  Specifies the path (relative or absolute) that the new link\n"
    "                refers to.\n"
)

# The reference messages (shared/reference/windows-mklink.md), with newline.
SYNTAX = "The syntax of the command is incorrect.\n"
EEXIST = "Cannot create a file when that file already exists.\n"
ENOPATH = "The system cannot find the path specified.\n"
ENOFILE = "The system cannot find the file specified.\n"
EACCES = "Access is denied.\n"
EXDEV = "The system cannot move the file to a different disk drive.\n"
EMLINK = ("An attempt was made to create more links on a file than the file "
          "system supports.\n")
ELOOP = "The name of the file cannot be resolved by the system.\n"
ENAMETOOLONG = "The filename or extension is too long.\n"
EREMOTE = "Local volumes are required to complete the operation.\n"
# cmd's own texts for three situations (docs/semantics.md, "Where each
# message comes from"): the Win32 error's text is not what cmd prints.
CMD_XDEV = "The new link and the existing file must be on the same NTFS volume.\n"
CMD_NTFS = "Local NTFS volumes are required to complete the operation.\n"
CMD_NOSYMLINK = "The device does not support symbolic links.\n"
# The library's own messages for what Windows has no message for.
ENOTSUP = "The request is not supported.\n"
EISDIR = ("The directory is not a link: only links are removed, never a real "
          "directory.\n")
ELASTNAME = ("The file is not a link and this is its only name: removing it "
             "would delete its data.\n")
USAGE_TAIL = "Try 'mklink --help' for more information.\n"
EMOVING = "An earlier move of this path did not finish: resume it or roll it back first.\n"
ENOMOVE = "There is no unfinished move of this path.\n"


def unfinished(link):
    """The two lines that follow an error leaving LINK's move unfinished."""
    return ("To finish the move run:  mklink --move --resume %s\n"
            "To undo it run:          mklink --move --rollback %s\n" % (link, link))

NETFS_ONLY = "a fake network file system needs LD_PRELOAD into a native executable"
# The setup makes POSIX symbolic links: Windows code under Wine sees them as
# links through the Wine bridge only.
UNIX_LINKS = dict(unix_links=True)

# {root}/net looks like an NFS mount to mklink (fake_netfs.c).
NETFS = dict(env={"MKLINK_FAKE_NETFS_ROOT": "{root}/net"}, preload=True, native_only=NETFS_ONLY)
# linkat() fails with errno 116 (ESTALE, which the library's table does not
# map): fake_netfs.c.
STALE = dict(env={"MKLINK_FAKE_LINKAT_ERRNO": "116"}, preload=True,
             native_only="an injected errno needs LD_PRELOAD into a native executable")
FAT_WINE = ("{wine} shows a FAT mount inside Z: as NTFS (GetVolumeInformationByHandleW) "
            "and answers 5 for the refused hard link and TRUE for a symbolic link it does not make")
BATCH = "a batch file run by cmd: Windows only"
TWO_TMPFS = {"a": "tmpfs", "b": "tmpfs"}
FAT = {"fat": "vfat"}

T = {"t.txt": "file:data"}                    # a target file
D = {"d": "dir", "d/inside.txt": "file:in"}   # a target directory


def created(kind, link, target):
    word = {"sym": "symbolic link", "hard": "Hardlink", "junction": "Junction"}[kind]
    return "%s created for %s <<===>> %s\n" % (word, link, target)


def sym(name, args, setup, link, text, target=None):
    """A symbolic-link create that succeeds, echoing LINK and TARGET."""
    return dict(name=name, setup=setup, args=args,
                stdout=created("sym", link, target if target is not None else text),
                adds={link: "link:" + text}, needs=["symlink"])


def hard(name, args, setup, link, target):
    return dict(name=name, setup=setup, args=args, stdout=created("hard", link, target),
                adds={link: "hard:" + target}, same=[(link, target)])


def junction(name, args, setup, link, typed, stored, cwd=None):
    """A junction create that succeeds: LINK (as typed in ARGS) stores
    {root}/STORED."""
    case = dict(name=name, setup=setup, args=args,
                stdout=created("junction", args[-2], typed),
                adds={link: "link:/.{root}/" + stored}, needs=["junction"])
    if cwd:
        case["cwd"] = cwd
    return case



# ---- --check-portable: the lines it prints ------------------------------
def finding(kind, path, detail):
    return "%-24s%s: %s\n" % ("<" + kind.upper() + ">", path, detail)


def reserved(path, device):
    return finding("reserved-name", path, "'%s' is the device %s on Windows, whatever the "
                   "extension: no file or directory can have this name"
                   % (path.rsplit("/", 1)[-1], device))


def forbidden(path, char):
    return finding("forbidden-char", path, "'%s' has '%s', a character Windows does not allow "
                   "in a name (< > : \" \\ | ? *)" % (path.rsplit("/", 1)[-1], char))


def trailing(path):
    what = "a dot" if path.endswith(".") else "a space"
    return finding("trailing-dot-or-space", path, "'%s' ends in %s: Windows strips it from a "
                   "path, so this entry cannot be opened, renamed or deleted by its name"
                   % (path.rsplit("/", 1)[-1], what))


def collision(path, first):
    return finding("case-collision", path, "Windows holds this name and '%s' for one name "
                   "(they differ only in case): only one of them can exist there" % first)


def missing(path, target):
    return finding("missing-target", path, "the link's target '%s' does not exist: whoever "
                   "makes this link on Windows must choose a file or a directory link and "
                   "cannot tell which" % target)


def outside(path, target):
    return finding("target-outside", path, "the link's target '%s' leads out of the checked "
                   "directory: it breaks when the tree is checked out or copied alone" % target)


def too_long(path, total, limit, is_dir=False):
    tail = (" for a directory (MAX_PATH less room for an 8.3 name within it): it and "
            "everything below it cannot be made" if is_dir else
            " (MAX_PATH less its NUL): most Windows programs cannot open it")
    return finding("path-too-long", path, "the path is %d UTF-16 units long with the \"C:\\\" "
                   "it needs at least, over the limit of %d%s" % (total, limit, tail))


# The names of the portability check: each rule and its near misses.
PORTABLE_NAMES = {
    "aux.c": "file:", "CON.txt": "file:", "nul .txt": "file:", "COM1": "file:",
    "lpt9.log": "file:", "COM\u00b9.txt": "file:", "conout$": "file:",
    "a<b": "file:", "q?": "file:", "x|y": "file:",
    "trail.": "file:", "trail ": "file:",
    "README": "file:", "Readme": "file:", "caf\u00e9": "file:", "CAF\u00c9": "file:",
    "sub": "dir", "sub/aux": "dir", "sub/aux/in.txt": "file:", "sub/COM1": "file:",
    # near misses: nothing to say about these
    "CONSOLE": "file:", "COM10": "file:", "COM0": "file:", "LPT0": "file:",
    "aux_x.c": "file:", "a.b.c": "file:", ".hidden": "file:", "caf\u00e9s": "file:",
}
PORTABLE_NAMES_OUT = "".join(sorted([
    reserved("aux.c", "AUX"), reserved("CON.txt", "CON"), reserved("nul .txt", "NUL"),
    reserved("COM1", "COM1"), reserved("lpt9.log", "LPT9"),
    reserved("COM\u00b9.txt", "COM\u00b9"), reserved("conout$", "CONOUT$"),
    reserved("sub/aux", "AUX"), reserved("sub/COM1", "COM1"),
    forbidden("a<b", "<"), forbidden("q?", "?"), forbidden("x|y", "|"),
    trailing("trail."), trailing("trail "),
    collision("Readme", "README"), collision("caf\u00e9", "CAF\u00c9"),
]))

CASES = [
    # ---- help and syntax ------------------------------------------------
    dict(name="no arguments prints help, exit 1", args=[], stdout=HELP, code=1),
    dict(name="/? prints help, exit 0", args=["/?"], stdout=HELP),
    dict(name="/? wins over the names", args=["/D", "/?", "a", "b"], stdout=HELP),
    dict(name="one name: syntax error", args=["a"], stderr=SYNTAX, code=1),
    dict(name="three names: syntax error", args=["a", "b", "c"], stderr=SYNTAX, code=1),
    dict(name="a switch alone: syntax error", args=["/J"], stderr=SYNTAX, code=1),
    dict(name="unknown switch /X", args=["/X", "a", "b"], stderr='Invalid switch - "X".\n', code=1),
    dict(name="unknown switch is echoed as typed", args=["a", "/q", "b"],
         stderr='Invalid switch - "q".\n', code=1),
    dict(name="a bad switch is reported before the syntax", args=["/Z"],
         stderr='Invalid switch - "Z".\n', code=1),
    dict(name="--help", args=["--help"],
         stdout_startswith="Usage: mklink [/D | /H | /J] LINK TARGET\n"),
    dict(name="--version", args=["--version"], stdout="mklink 0.2.0\n"),
    dict(name="unknown long option: usage error, exit 2", args=["--frobnicate", "a", "b"],
         stderr="mklink: unrecognized option '--frobnicate'\n" + USAGE_TAIL, code=2),
    dict(name="-h is refused with a hint", args=["-h", "a", "b"],
         stderr="mklink: invalid option '-h' (hard link: -H or /H; help: --help)\n" + USAGE_TAIL,
         code=2),
    dict(name="bad --type value", args=["--type", "soft", "a", "b"],
         stderr="mklink: invalid link type 'soft' (symbolic, hard, junction)\n" + USAGE_TAIL,
         code=2),
    dict(name="--relative with /H is refused before touching anything", setup=T,
         args=["--relative", "/H", "l", "t.txt"],
         stderr="mklink: --relative applies only to symbolic links\n" + USAGE_TAIL, code=2),
    dict(name="--query with --list is refused", args=["--query", "--list", "x"],
         stderr="mklink: --query and --list cannot be used together\n" + USAGE_TAIL, code=2),
    dict(name="--query without a path", args=["--query"],
         stderr="mklink: --query needs at least one PATH\n" + USAGE_TAIL, code=2),
    dict(name="/D with --delete is refused", setup=T, args=["/D", "--delete", "t.txt"],
         stderr="mklink: /D cannot be used with --delete\n" + USAGE_TAIL, code=2),

    # ---- creating: every spelling --------------------------------------
    sym("file symlink", ["l.txt", "t.txt"], T, "l.txt", "t.txt"),
    sym("/d lower case", ["/d", "ld", "d"], D, "ld", "d"),
    sym("/D", ["/D", "ld", "d"], D, "ld", "d"),
    sym("-d", ["-d", "ld", "d"], D, "ld", "d"),
    sym("--dir after the names", ["ld", "d", "--dir"], D, "ld", "d"),
    sym("--type symbolic", ["--type", "symbolic", "l", "t.txt"], T, "l", "t.txt"),
    sym("--type=SymbolicLink (PowerShell name)", ["--type=SymbolicLink", "l", "t.txt"], T, "l", "t.txt"),
    hard("/h lower case", ["/h", "h.txt", "t.txt"], T, "h.txt", "t.txt"),
    hard("/H", ["/H", "h.txt", "t.txt"], T, "h.txt", "t.txt"),
    hard("-H", ["-H", "h.txt", "t.txt"], T, "h.txt", "t.txt"),
    hard("--hard", ["--hard", "h.txt", "t.txt"], T, "h.txt", "t.txt"),
    hard("--type hard", ["--type", "hard", "h.txt", "t.txt"], T, "h.txt", "t.txt"),
    hard("--type HardLink", ["--type", "HardLink", "h.txt", "t.txt"], T, "h.txt", "t.txt"),
    hard("/D /H: the hard link wins", ["/D", "/H", "h.txt", "t.txt"], T, "h.txt", "t.txt"),
    junction("/j lower case", ["/j", "jn", "d"], D, "jn", "d", "d"),
    junction("/J", ["/J", "jn", "d"], D, "jn", "d", "d"),
    junction("-j", ["-j", "jn", "d"], D, "jn", "d", "d"),
    junction("--junction", ["--junction", "jn", "d"], D, "jn", "d", "d"),
    junction("--type junction", ["--type", "junction", "jn", "d"], D, "jn", "d", "d"),
    junction("--type Junction", ["--type", "Junction", "jn", "d"], D, "jn", "d", "d"),

    # ---- creating: names and targets -----------------------------------
    sym("names with spaces are echoed as typed", ["my link.txt", "my target.txt"],
        {"my target.txt": "file:x"}, "my link.txt", "my target.txt"),
    hard("non-ASCII names (hard link)", ["/H", "lien-ü.txt", "données.txt"],
         {"données.txt": "file:é"}, "lien-ü.txt", "données.txt"),
    sym("non-ASCII names (symlink)", ["リンク", "日本.txt"], {"日本.txt": "file:x"}, "リンク", "日本.txt"),
    sym("a dangling symlink is created (target missing)", ["l", "nowhere.txt"], {}, "l", "nowhere.txt"),
    sym("/D to a missing target is created", ["/D", "l", "nodir"], {}, "l", "nodir"),
    sym("a relative target is stored as typed", ["sub/l", "../t.txt"],
        {"sub": "dir", **T}, "sub/l", "../t.txt"),
    junction("a relative junction target is resolved against the cwd", ["/J", "../links/j", "data"],
             {"work": "dir", "work/data": "dir", "links": "dir"}, "links/j", "data", "work/data",
             cwd="work"),
    junction("junction target: . and .. are collapsed", ["/J", "j", "a/../b/./"],
             {"a": "dir", "b": "dir"}, "j", "a/../b/./", "b"),
    junction("a junction to a missing target is created", ["/J", "j", "gone"], {}, "j", "gone", "gone"),
    sym("-- makes a switch-like word a name (/D as target)", ["--", "l", "/D"], {}, "l", "/D"),
    dict(name="without -- /D is a switch", args=["l", "/D"], stderr=SYNTAX, code=1),
    hard("-- then names starting with a dash", ["/H", "--", "-l", "-t"], {"-t": "file:x"}, "-l", "-t"),
    sym("--relative stores the target relative to the link", ["--relative", "a/l", "{root}/b/t.txt"],
        {"a": "dir", "b": "dir", "b/t.txt": "file:x"}, "a/l", "../b/t.txt", target="{root}/b/t.txt"),
    # Issue 10's reproduction: LINK's directory reached through a symbolic
    # link.  The text comes from where LINK really is (ln -sr), and
    # --require-target checks what the link will reach.
    dict(name="--relative --require-target through a link to LINK's directory (ln -sr)",
         setup={"real": "dir", "real/a": "dir", "proj": "dir", "proj/target.txt": "file:data",
                "proj/LS": "link:../real/a"},
         cwd="proj", args=["--relative", "--require-target", "LS/l", "target.txt"],
         stdout=created("sym", "LS/l", "target.txt"),
         adds={"real/a/l": "link:../../proj/target.txt"},
         native_only="POSIX resolves .. physically, Windows lexically (docs/semantics.md, Paths)"),
    dict(name="--require-target refuses a missing target", args=["--require-target", "l", "nothing"],
         stderr=ENOFILE, code=1),
    sym("--require-target with a target creates", ["--require-target", "l", "t.txt"], T, "l", "t.txt"),

    # ---- creating: failures leave the file system unchanged -------------
    dict(name="LINK exists as a file", setup={"l": "file:keep", **T}, args=["l", "t.txt"],
         stderr=EEXIST, code=1),
    dict(name="LINK exists as a directory (/J)", setup={"l": "dir", **D}, args=["/J", "l", "d"],
         stderr=EEXIST, code=1),
    dict(name="LINK exists as a dangling link", setup={"l": "link:gone", **T}, args=["l", "t.txt"],
         stderr=EEXIST, code=1, **UNIX_LINKS),
    dict(name="LINK exists (/H)", setup={"l": "file:keep", **T}, args=["/H", "l", "t.txt"],
         stderr=EEXIST, code=1),
    dict(name="LINK's parent is missing", setup=T, args=["no/such/l", "t.txt"],
         stderr=ENOPATH, code=1, needs=["symlink"]),
    dict(name="LINK's parent is missing (/H)", setup=T, args=["/H", "nodir/l", "t.txt"],
         stderr=ENOPATH, code=1),
    dict(name="/H to a missing file", args=["/H", "l", "missing.txt"], stderr=ENOFILE, code=1),
    dict(name="/H to a directory", setup=D, args=["/H", "l", "d"], stderr=EACCES, code=1),
    dict(name="/D /H to a directory", setup=D, args=["/D", "/H", "l", "d"], stderr=EACCES, code=1),
    dict(name="/H across file systems", args=["/H", "l", "/proc/version"], stderr=CMD_XDEV, code=1,
         native_only="/proc is a Linux file system"),
    dict(name="/H past the link limit", slow_setup="link_limit", args=["/H", "l", "full/f"],
         stderr=EMLINK, code=1, native_only="fills a file with tens of thousands of names"),
    dict(name="LINK's parent is a symlink loop", setup={"loop": "link:loop", **T},
         args=["loop/l", "t.txt"], stderr=ELOOP, code=1, **UNIX_LINKS),
    dict(name="LINK's name is too long", setup=T, args=["/H", "x" * 300, "t.txt"],
         stderr=ENAMETOOLONG, code=1,
         wine_skip={"8.": "{wine} answers 2 (file not found) for a 300-character name where Windows answers 206"}),
    dict(name="--replace over a link replaces it", setup={"l": "link:old", **T},
         args=["--replace", "l", "t.txt"], stdout=created("sym", "l", "t.txt"),
         removes=["l"], adds={"l": "link:t.txt"}, **UNIX_LINKS),
    dict(name="--replace never replaces a real file", setup={"l": "file:keep", **T},
         args=["--replace", "l", "t.txt"], stderr=EEXIST, code=1),
    dict(name="--replace never replaces a real directory", setup={"l": "dir", "l/x": "file:1", **D},
         args=["--replace", "/J", "l", "d"], stderr=EEXIST, code=1),

    # ---- junctions refuse network targets (a fake NFS mount: NETFS) -----
    dict(name="/J to a directory on a network file system is refused",
         setup={"net": "dir", "net/share": "dir"}, args=["/J", "link", "{root}/net/share"],
         stderr=EREMOTE, code=1, **NETFS),
    dict(name="/J to a missing target below a network mount is refused",
         setup={"net": "dir"}, args=["/J", "link", "{root}/net/missing/deeper"],
         stderr=EREMOTE, code=1, **NETFS),
    dict(name="/J to the network mount point itself is refused",
         setup={"net": "dir"}, args=["/J", "link", "{root}/net"], stderr=EREMOTE, code=1, **NETFS),
    dict(name="--junction to a relative network target is refused",
         setup={"net": "dir", "net/share": "dir"}, args=["--junction", "link", "net/share"],
         stderr=EREMOTE, code=1, **NETFS),
    dict(name="--json /J to a network target", setup={"net": "dir", "net/share": "dir"},
         args=["--json", "/J", "link", "{root}/net/share"],
         json=[{"op": "create", "link": "link", "target": "{root}/net/share", "kind": "junction",
                "ok": False, "error": "MKLINK_EREMOTE", "message": EREMOTE.strip()}],
         stderr=EREMOTE, code=1, **NETFS),
    dict(junction("/J beside a network mount is created (the fake is not everywhere)",
                  ["/J", "jn", "d"], {"net": "dir", "net/share": "dir", **D}, "jn", "d", "d"),
         **NETFS),
    dict(sym("/D to a network target is created (symbolic links may point anywhere)",
             ["/D", "ld", "{root}/net/share"], {"net": "dir", "net/share": "dir"}, "ld",
             "{root}/net/share"), **NETFS),
    dict(sym("file symlink to a missing network target is created",
             ["l", "{root}/net/gone.txt"], {"net": "dir"}, "l", "{root}/net/gone.txt"), **NETFS),

    # ---- cmd's own messages, on real file systems -------------------------
    dict(name="/H across two tmpfs mounts: cmd's own text", mounts=TWO_TMPFS,
         setup={"a/t.txt": "file:x"}, args=["/H", "b/h", "a/t.txt"], stderr=CMD_XDEV, code=1),
    dict(name="--hard from a mount into the file system around it: cmd's own text",
         mounts={"a": "tmpfs"}, setup={"a/t.txt": "file:x"}, args=["--hard", "h", "a/t.txt"],
         stderr=CMD_XDEV, code=1),
    dict(name="--json /H across mounts keeps the library's code and message", mounts=TWO_TMPFS,
         setup={"a/t.txt": "file:x"}, args=["--json", "/H", "b/h", "a/t.txt"],
         json=[{"op": "create", "kind": "hardlink", "ok": False, "error": "MKLINK_EXDEV",
                "message": EXDEV.strip()}], stderr=CMD_XDEV, code=1),
    dict(hard("/H inside one tmpfs mount is created", ["/H", "a/h", "a/t.txt"], {"a/t.txt": "file:x"},
              "a/h", "a/t.txt"), mounts={"a": "tmpfs"}),
    dict(name="/H on a FAT file system: cmd's own text", mounts=FAT, setup={"fat/t.txt": "file:x"},
         args=["/H", "fat/h", "fat/t.txt"], stderr=CMD_NTFS, code=1, native_only=FAT_WINE),
    dict(name="--json /H on FAT keeps the library's code", mounts=FAT, setup={"fat/t.txt": "file:x"},
         args=["--json", "/H", "fat/h", "fat/t.txt"],
         json=[{"op": "create", "ok": False, "error": "MKLINK_ENOTSUP",
                "message": "The request is not supported."}],
         stderr=CMD_NTFS, code=1, native_only=FAT_WINE),
    dict(name="a symbolic link on FAT: cmd's own text", mounts=FAT, setup={"fat/t.txt": "file:x"},
         args=["fat/l", "t.txt"], stderr=CMD_NOSYMLINK, code=1, native_only=FAT_WINE),
    dict(name="/D on FAT: cmd's own text", mounts=FAT, setup={"fat/d": "dir"},
         args=["/D", "fat/ld", "d"], stderr=CMD_NOSYMLINK, code=1, native_only=FAT_WINE),
    dict(name="--json symbolic link on FAT keeps the library's code", mounts=FAT,
         args=["--json", "fat/l", "t.txt"],
         json=[{"op": "create", "ok": False, "error": "MKLINK_ENOTSUP"}],
         stderr=CMD_NOSYMLINK, code=1, native_only=FAT_WINE),
    dict(name="/J on FAT keeps the library's text (cmd has none of its own known)", mounts=FAT,
         setup={"d": "dir"}, args=["/J", "fat/j", "d"],
         stderr="The request is not supported.\n", code=1),
    dict(hard("/H on a network file system is created on Linux (the kernel decides)",
              ["/H", "net/h", "net/t.txt"], {"net": "dir", "net/t.txt": "file:x"}, "net/h", "net/t.txt"),
         **NETFS),
    # cmd reads store/trust/x as the switch /trust; mklink.exe takes it as a
    # path, as every other program does (docs/mklink.1, "Forward slashes").
    dict(hard("forward slashes in names are paths, not switches",
              ["/H", "store/trust/h", "t.txt"], {"store/trust": "dir", **T}, "store/trust/h", "t.txt")),
    sym("forward slashes in a symbolic link's target are kept", ["l", "store/trust/x"],
        {"store/trust": "dir"}, "l", "store/trust/x"),

    # ---- errors the library's table does not map; write errors -----------
    dict(name="an errno the table does not map prints the system's words", setup=T,
         args=["/H", "h", "t.txt"], stderr="Stale file handle\n", code=1, **STALE),
    dict(name="--json carries the OS error the table does not map", setup=T,
         args=["--json", "/H", "h", "t.txt"],
         json=[{"op": "create", "ok": False, "error": "MKLINK_EOS", "os_error": 116,
                "message": "Stale file handle"}], stderr="Stale file handle\n", code=1, **STALE),
    dict(name="a Win32 error the table does not map prints FormatMessageW's text",
         args=["--query", "--json", "\\\\.\\NUL"],
         json=[{"op": "query", "ok": False, "error": "MKLINK_EOS", "os_error": 66,
                "message": "Bad device type."}],
         stderr="mklink: query '\\\\.\\NUL': Bad device type.\n", code=1,
         windows_only="a Win32 device path (Wine's answer: ERROR_BAD_DEV_TYPE, 66)"),
    dict(name="no descriptor left: a true message, not an I/O error",
         setup={"a": "dir", "a/b": "dir", "a/b/c": "dir"}, args=["--list", "--recursive"], nofile=4,
         stderr_contains="': The system cannot open the file.\n", code=1,
         native_only="RLIMIT_NOFILE that low leaves Wine itself no descriptor"),
    dict(name="a failed write on stdout is said on stderr, exit 1", setup=T,
         args=["/H", "h", "t.txt"], stdout_file="/dev/full", adds={"h": "hard:t.txt"},
         same=[("h", "t.txt")],
         stderr="mklink: write error on standard output: There is not enough space on the disk.\n",
         code=1),
    dict(name="--version on a full stdout fails", args=["--version"], stdout_file="/dev/full",
         stderr="mklink: write error on standard output: There is not enough space on the disk.\n",
         code=1),
    dict(name="--list --json on a full stdout fails", setup={"h": "hard:t.txt", **T},
         args=["--list", "--json", "--hardlinks"], stdout_file="/dev/full",
         stderr="mklink: write error on standard output: There is not enough space on the disk.\n",
         code=1),

    # ---- names on a terminal, and cmd's quoting -----------------------------
    # Names outside the BMP are left out on the terminal: Wine 8's console
    # writes each half of a surrogate pair to the Unix terminal as U+FFFD
    # (WriteConsoleW gets the pair right; Windows shows it).
    dict(name="non-ASCII names on a terminal (a console: WriteConsoleW)",
         setup={"\u00e4\u65e5.txt": "file:x", "h": "hard:\u00e4\u65e5.txt"},
         args=["--list", "--hardlinks"], console=True, sort=True,
         stdout="<HARDLINK>     h [2 links]\n<HARDLINK>     \u00e4\u65e5.txt [2 links]\n"),
    dict(name="non-ASCII names in an error on a terminal", args=["--query", "\u00e4\u65e5"],
         console=True, stdout="mklink: query '\u00e4\u65e5': " + ENOFILE, code=1),
    dict(name="non-ASCII names into a file stay UTF-8",
         setup={"\u00e4\u65e5\U0001F600.txt": "file:x", "h": "hard:\u00e4\u65e5\U0001F600.txt"},
         args=["--query", "\u00e4\u65e5\U0001F600.txt"],
         stdout="<HARDLINK>     \u00e4\u65e5\U0001F600.txt [2 links]\n"),
    dict(name="a batch file's \"%~dp0\" (ending in a backslash) is the directory",
         setup={"h": "hard:t.txt", **T},
         batch=['"{mklink}" --list --hardlinks "%~dp0"', 'echo rc=%ERRORLEVEL%',
                '"{mklink}" --query "%~dp0"'],
         sort=True,
         stdout=("<DIR>          {root}\\\n<HARDLINK>     {root}\\h [2 links]\n"
                 "<HARDLINK>     {root}\\t.txt [2 links]\nrc=0\n"),
         windows_only=BATCH),
    dict(name="cmd's quoting and Python's list2cmdline quoting name the same directory",
         setup={"sub dir": "dir", "sub dir/h": "hard:t.txt", **T},
         batch=['"{mklink}" /H "%~dp0sub dir\\h2" "%~dp0t.txt"',
                '"{mklink}" --list --hardlinks "%~dp0sub dir\\"',
                ["list2cmdline", ["{mklink}", "--list", "--hardlinks", "{root}\\sub dir\\"]]],
         sort=True,
         stdout=("Hardlink created for {root}\\sub dir\\h2 <<===>> {root}\\t.txt\n"
                 + "<HARDLINK>     {root}\\sub dir\\h [3 links]\n" * 2
                 + "<HARDLINK>     {root}\\sub dir\\h2 [3 links]\n" * 2),
         adds={"sub dir/h2": "hard:t.txt"}, windows_only=BATCH),

    # ---- --json on creates ----------------------------------------------
    dict(name="--json create", setup=T, args=["--json", "/H", "h", "t.txt"],
         json=[{"op": "create", "link": "h", "target": "t.txt", "kind": "hardlink", "ok": True}],
         adds={"h": "hard:t.txt"}, same=[("h", "t.txt")]),
    dict(name="--json create failure", setup=T, args=["--json", "/H", "h", "nope"],
         json=[{"op": "create", "link": "h", "ok": False, "error": "MKLINK_ENOFILE",
                "message": ENOFILE.strip()}], stderr=ENOFILE, code=1),

    # ---- --query --------------------------------------------------------
    dict(name="--query a symlink", setup={"l": "link:t.txt", **T}, args=["--query", "l"],
         stdout="<SYMLINK>      l [t.txt] -> {root}/t.txt\n", **UNIX_LINKS,
         windows=dict(stdout="<SYMLINK>      l [t.txt] -> {root}\\t.txt\n")),
    dict(name="--query a dangling symlink", setup={"l": "link:gone"}, args=["--query", "l"],
         stdout="<SYMLINK>      l [gone] -> {root}/gone (broken)\n", **UNIX_LINKS,
         windows=dict(stdout="<SYMLINK>      l [gone] -> {root}\\gone (broken)\n")),
    # Issue 10's reproduction: resolved is where the system goes through LS,
    # not the decoy ./b, and a dangling link is said broken for its real
    # destination.
    dict(name="--query through a link: resolved is where the kernel goes, not a decoy",
         setup={"real": "dir", "real/a": "dir", "real/b": "file:real", "b": "file:decoy",
                "real/a/l": "link:../b", "LS": "link:real/a"},
         args=["--query", "LS/l"], stdout="<SYMLINK>      LS/l [../b] -> {root}/real/b\n",
         native_only="POSIX resolves .. physically, Windows lexically (docs/semantics.md, Paths)"),
    dict(name="--query through a link: broken when its real destination is missing",
         setup={"real": "dir", "real/a": "dir", "b": "file:decoy",
                "real/a/l": "link:../b", "LS": "link:real/a"},
         args=["--query", "LS/l"], stdout="<SYMLINK>      LS/l [../b] -> {root}/real/b (broken)\n",
         native_only="POSIX resolves .. physically, Windows lexically (docs/semantics.md, Paths)"),
    dict(name="--list through a link: resolved from the real directory",
         setup={"real": "dir", "real/a": "dir", "real/b": "file:real", "b": "file:decoy",
                "real/a/l": "link:../b", "LS": "link:real/a"},
         args=["--list", "--json", "LS"],
         json=[{"op": "list", "path": "LS/l", "ok": True, "target": "../b",
                "resolved": "{root}/real/b"}],
         native_only="POSIX resolves .. physically, Windows lexically (docs/semantics.md, Paths)"),
    dict(name="--query a directory symlink and a junction",
         setup={"s": "link:d", "j": "link:/.{root}/d", **D}, args=["--query", "s", "j"],
         stdout="<SYMLINKD>     s [d] -> {root}/d\n<JUNCTION>     j [{root}/d] -> {root}/d\n",
         **UNIX_LINKS,
         windows=dict(stdout="<SYMLINKD>     s [d] -> {root}\\d\n"
                             "<JUNCTION>     j [{root}\\d] -> {root}\\d\n")),
    dict(name="--query a hard link and a directory", setup={"h": "hard:t.txt", **T, **D},
         args=["--query", "h", "d"], stdout="<HARDLINK>     h [2 links]\n<DIR>          d\n"),
    dict(name="--query goes on after a missing path", setup=T, args=["--query", "nope", "t.txt"],
         stdout="<FILE>         t.txt\n", stderr="mklink: query 'nope': " + ENOFILE, code=1),
    dict(name="--query --json", setup={"l": "link:gone", "h": "hard:t.txt", **T},
         args=["--query", "--json", "l", "h", "nope"],
         json=[{"op": "query", "path": "l", "ok": True, "kind": "file_symlink", "target": "gone",
                "resolved": "{root}/gone", "broken": True},
               {"op": "query", "path": "h", "ok": True, "kind": "hardlink", "nlink": 2,
                "broken": False, "target": None},
               {"op": "query", "path": "nope", "ok": False, "error": "MKLINK_ENOFILE"}],
         stderr="mklink: query 'nope': " + ENOFILE, code=1, **UNIX_LINKS,
         windows=dict(json=[{"op": "query", "path": "l", "ok": True, "kind": "file_symlink",
                             "target": "gone", "resolved": "{root}\\gone", "broken": True},
                            {"op": "query", "path": "h", "ok": True, "kind": "hardlink",
                             "nlink": 2, "broken": False, "target": None},
                            {"op": "query", "path": "nope", "ok": False,
                             "error": "MKLINK_ENOFILE"}])),
    dict(name="--query --json of a hard link", setup={"h": "hard:t.txt", **T},
         args=["--query", "--json", "h"],
         json=[{"op": "query", "path": "h", "ok": True, "kind": "hardlink", "nlink": 2,
                "broken": False, "target": None}]),
    dict(name="--json escapes quotes, backslashes and control characters",
         setup={'q"b\\s\tx': "link:t\nu"}, args=["--query", "--json", 'q"b\\s\tx'],
         json=[{"op": "query", "path": 'q"b\\s\tx', "ok": True, "target": "t\nu", "broken": True}],
         native_only="backslash and control characters cannot be in Windows names"),

    # ---- --list -----------------------------------------------------------
    dict(name="--list the current directory",
         setup={"s": "link:t.txt", "g": "link:gone", "sub": "dir", "sub/deep": "link:x", **T},
         args=["--list"], sort=True,
         stdout="<SYMLINK>      g [gone]\n<SYMLINK>      s [t.txt]\n",
         **UNIX_LINKS),
    dict(name="--list --recursive DIR",
         setup={"top": "dir", "top/s": "link:../t.txt", "top/sub": "dir",
                "top/sub/j": "link:/.{root}/top", **T},
         args=["--list", "--recursive", "top"], sort=True,
         stdout="<JUNCTION>     top/sub/j [{root}/top]\n<SYMLINK>      top/s [../t.txt]\n",
         **UNIX_LINKS,
         windows=dict(stdout="<JUNCTION>     top\\sub\\j [{root}\\top]\n"
                             "<SYMLINK>      top\\s [..\\t.txt]\n")),
    dict(name="--list --recursive: a link loop and a junction to its own ancestor",
         setup={"r": "dir", "r/a": "dir", "r/a/up": "link:/.{root}/r", "r/a/self": "link:self",
                "r/a/b": "dir", "r/a/b/back": "link:../..", "r/a/b/f": "file:x"},
         args=["--list", "--recursive", "--targets", "r"], sort=True,
         stdout=("<JUNCTION>     r/a/up [{root}/r]\n"
                 "<SYMLINK>      r/a/self [self] (broken)\n"
                 "<SYMLINKD>     r/a/b/back [../..]\n"),
         **UNIX_LINKS,
         windows=dict(stdout=("<JUNCTION>     r\\a\\up [{root}\\r]\n"
                              "<SYMLINK>      r\\a\\self [self] (broken)\n"
                              "<SYMLINKD>     r\\a\\b\\back [..\\..]\n"))),
    dict(name="--list --recursive --broken exits 1 when it finds some",
         setup={"t": "dir", "t/ok": "link:../t.txt", "t/x": "dir", "t/x/bad": "link:../../none", **T},
         args=["--list", "--recursive", "--broken", "t"],
         stdout="<SYMLINK>      t/x/bad [../../none] (broken)\n", code=1,
         **UNIX_LINKS,
         windows=dict(stdout="<SYMLINK>      t\\x\\bad [..\\..\\none] (broken)\n")),
    dict(name="--list --targets marks directory links and broken links",
         setup={"s": "link:d", "g": "link:gone", **D}, args=["--list", "--targets"], sort=True,
         stdout="<SYMLINK>      g [gone] (broken)\n<SYMLINKD>     s [d]\n",
         **UNIX_LINKS),
    dict(name="--list --broken exits 0 when there are none", setup={"ok": "link:t.txt", **T},
         args=["--list", "--broken"], stdout="", **UNIX_LINKS),
    dict(name="--list --hardlinks shows link counts", setup={"h": "hard:t.txt", "z": "file:1", **T},
         args=["--list", "--hardlinks"], sort=True,
         stdout="<HARDLINK>     h [2 links]\n<HARDLINK>     t.txt [2 links]\n"),
    dict(name="--list --recursive --hardlinks in a subdirectory",
         setup={"a": "dir", "a/b": "dir", "a/b/h": "hard:t.txt", **T},
         args=["--list", "--recursive", "--hardlinks", "a"],
         stdout="<HARDLINK>     a/b/h [2 links]\n",
         windows=dict(stdout="<HARDLINK>     a\\b\\h [2 links]\n")),
    dict(name="--list of an empty directory prints nothing", setup={"e": "dir"},
         args=["--list", "--recursive", "e"], stdout=""),
    dict(name="--list a missing directory", args=["--list", "nodir"],
         stderr="mklink: list 'nodir': " + ENOPATH, code=1),
    dict(name="--list --json a missing directory: an ok:false object, like --query",
         args=["--list", "--json", "nodir"],
         json=[{"op": "list", "path": "nodir", "ok": False, "error": "MKLINK_ENOPATH",
                "message": ENOPATH.strip()}],
         stderr="mklink: list 'nodir': " + ENOPATH, code=1),
    dict(name="--list --json goes on after a missing directory", setup={"h": "hard:t.txt", **T},
         args=["--list", "--json", "--hardlinks", "nodir", "."], sort=True,
         json=[{"op": "list", "ok": True, "kind": "hardlink"},
               {"op": "list", "ok": True, "kind": "hardlink"},
               {"op": "list", "path": "nodir", "ok": False, "error": "MKLINK_ENOPATH"}],
         stderr="mklink: list 'nodir': " + ENOPATH, code=1),
    dict(name="--list --json: targets not looked at are null", setup={"g": "link:gone"},
         args=["--list", "--json"],
         json=[{"op": "list", "path": "g", "ok": True, "kind": "file_symlink", "target": "gone",
                "resolved": "{root}/gone", "broken": None, "target_is_dir": None}],
         **UNIX_LINKS,
         windows=dict(json=[{"op": "list", "path": "g", "ok": True, "kind": "file_symlink", "target": "gone",
                "resolved": "{root}\\gone", "broken": None, "target_is_dir": None}])),
    dict(name="--list --json --targets", setup={"g": "link:gone"}, args=["--list", "--json", "--targets"],
         json=[{"op": "list", "path": "g", "ok": True, "kind": "file_symlink", "target": "gone",
                "resolved": "{root}/gone", "broken": True, "target_is_dir": False}],
         **UNIX_LINKS,
         windows=dict(json=[{"op": "list", "path": "g", "ok": True, "kind": "file_symlink", "target": "gone",
                "resolved": "{root}\\gone", "broken": True, "target_is_dir": False}])),
    dict(name="--list --json of hard links", setup={"h": "hard:t.txt"  , **T},
         args=["--list", "--json", "--hardlinks", "--recursive"], sort=True,
         json=[{"op": "list", "ok": True, "kind": "hardlink", "nlink": 2},
               {"op": "list", "ok": True, "kind": "hardlink", "nlink": 2}]),
    dict(name="--broken without --list is refused", args=["--broken", "a", "b"],
         stderr="mklink: --broken applies only to --list\n" + USAGE_TAIL, code=2),

    # ---- --delete ---------------------------------------------------------
    dict(name="--delete a symlink keeps its target", setup={"l": "link:t.txt", **T},
         args=["--delete", "l"], removes=["l"], **UNIX_LINKS),
    dict(name="--delete a junction keeps the directory", setup={"j": "link:/.{root}/d", **D},
         args=["--delete", "j"], removes=["j"], **UNIX_LINKS),
    dict(name="--delete a hard link keeps the other name", setup={"h": "hard:t.txt", **T},
         args=["--delete", "h"], removes=["h"],
         wine_blind=dict(removes=[], stderr="mklink: delete 'h': " + ENOTSUP, code=1)),
    dict(name="--delete a real directory is refused, nothing changes", setup=D,
         args=["--delete", "d"], stderr="mklink: delete 'd': " + EISDIR, code=1),
    dict(name="--delete a sole-name file is refused, nothing changes", setup=T,
         args=["--delete", "t.txt"], stderr="mklink: delete 't.txt': " + ELASTNAME, code=1),
    dict(name="--delete goes on over the remaining operands", setup={"h": "hard:t.txt", **T, **D},
         args=["--delete", "d", "nope", "h"], removes=["h"],
         stderr="mklink: delete 'd': " + EISDIR + "mklink: delete 'nope': " + ENOFILE, code=1,
         wine_blind=dict(removes=[], stderr="mklink: delete 'd': " + EISDIR +
                         "mklink: delete 'nope': " + ENOFILE + "mklink: delete 'h': " + ENOTSUP)),
    dict(name="--delete --json", setup={"h": "hard:t.txt", **T},
         args=["--delete", "--json", "h", "t.txt"],
         json=[{"op": "delete", "path": "h", "ok": True},
               {"op": "delete", "path": "t.txt", "ok": False, "error": "MKLINK_ELASTNAME"}],
         removes=["h"], stderr="mklink: delete 't.txt': " + ELASTNAME, code=1,
         # blind, both are second names of one file: neither is deleted
         wine_blind=dict(json=[{"op": "delete", "path": "h", "ok": False, "error": "MKLINK_ENOTSUP"},
                               {"op": "delete", "path": "t.txt", "ok": False,
                                "error": "MKLINK_ENOTSUP"}],
                         removes=[], stderr="mklink: delete 'h': " + ENOTSUP +
                         "mklink: delete 't.txt': " + ENOTSUP)),

    # ---- --capabilities ---------------------------------------------------
    dict(name="--capabilities", args=["--capabilities"],
         stdout=("file symlink       real\ndirectory symlink  real\nhard link          real\n"
                 "junction           simulated\nemulator           none\n"),
         windows=dict(stdout=("file symlink       not supported\ndirectory symlink  not supported\n"
                              "hard link          real\njunction           not supported\n"
                              "emulator           wine {wine_version}\n")),
         wine_bridge=dict(stdout=("file symlink       real (wine bridge)\n"
                                  "directory symlink  real (wine bridge)\n"
                                  "hard link          real\n"
                                  "junction           real (wine bridge)\n"
                                  "emulator           wine {wine_version}\n"))),
    dict(name="--capabilities --json", args=["--capabilities", "--json", "."],
         json=[{"op": "capabilities", "dir": ".", "ok": True,
                "real": ["file_symlink", "dir_symlink", "hardlink"], "simulated": ["junction"],
                "bridged": [], "emulator": None}],
         windows=dict(json=[{"op": "capabilities", "dir": ".", "ok": True, "real": ["hardlink"],
                             "simulated": [], "bridged": [], "emulator": "wine"}]),
         wine_bridge=dict(json=[{"op": "capabilities", "dir": ".", "ok": True,
                                 "real": ["file_symlink", "dir_symlink", "hardlink", "junction"],
                                 "simulated": [],
                                 "bridged": ["file_symlink", "dir_symlink", "junction"],
                                 "emulator": "wine"}])),
    dict(name="--capabilities of a missing directory", args=["--capabilities", "nodir"],
         stderr="mklink: capabilities 'nodir': " + ENOPATH, code=1),
    # ---- --check-portable -------------------------------------------------
    # The name rules, natively and from the Windows side (mklink.exe under
    # Wine lists the same tree through Wine's Z: drive).
    dict(name="--check-portable: the name rules and their near misses",
         args=["--check-portable"], setup=PORTABLE_NAMES, sort=True,
         stdout=PORTABLE_NAMES_OUT, code=1,
         windows=dict(stdout=PORTABLE_NAMES_OUT.replace("sub/", "sub\\"))),
    dict(name="--check-portable: a control character",
         args=["--check-portable"], setup={"ctl\x01x": "file:", "tab\tx": "file:"},
         sort=True, code=1,
         stdout="".join(sorted([
             finding("control-char", "ctl\\x01x", "'ctl\\x01x' has the control character "
                     "\\x01: Windows allows none of 1-31 in a name"),
             finding("control-char", "tab\\x09x", "'tab\\x09x' has the control character "
                     "\\x09: Windows allows none of 1-31 in a name")]))),
    dict(name="--check-portable: a name that is not UTF-8, reported as such",
         args=["--check-portable"], setup={"bad\udcffname": "file:", "ok\u00e9": "file:"},
         code=1,
         stdout=finding("invalid-utf8", "bad\\xFFname", "'bad\\xFFname' is not UTF-8 (byte 3 "
                        "is \\xFF): Windows names are Unicode, so it has no name there"),
         native_only="Wine lists no name that is not UTF-8"),
    dict(name="--check-portable --json: stable kinds, the other name of a collision",
         args=["--check-portable", "--json"], setup={"aux.c": "file:", "A": "file:", "a": "file:"},
         code=1,  # a directory's collisions come once it is listed to its end
         json=[{"op": "check-portable", "ok": True, "kind": "reserved-name", "path": "aux.c"},
               {"op": "check-portable", "ok": True, "kind": "case-collision", "path": "a",
                "other": "A"}]),
    dict(name="--check-portable: a mount point is <MOUNT>, never entered; the rest is checked",
         args=["--check-portable"], mounts={"m": "tmpfs"},
         setup={"m/aux": "file:", "m/AUX": "file:", "CON": "file:", "ok.c": "file:"},
         sort=True, code=1,
         stdout="".join(sorted([
             finding("mount", "m", "a file system is mounted here (another volume, or a bind "
                     "mount): it was not entered, so nothing behind it was checked; check it "
                     "as a DIR of its own"),
             reserved("CON", "CON")])),
         native_only=("under Wine a Unix mount inside Z: is a plain directory to Win32 "
                      "(Windows' volume mount points are reparse points, never entered)")),
    dict(name="--check-portable --json: a mount point's kind is mount-point",
         args=["--check-portable", "--json", "."], mounts={"m": "tmpfs"},
         setup={"m/aux": "file:"}, code=1,
         json=[{"op": "check-portable", "ok": True, "kind": "mount-point", "path": "./m"}],
         native_only=("under Wine a Unix mount inside Z: is a plain directory to Win32 "
                      "(Windows' volume mount points are reparse points, never entered)")),
    dict(name="--check-portable: a clean tree says nothing, exit 0",
         args=["--check-portable", "."], setup={"src": "dir", "src/main.c": "file:x",
                                                "docs": "dir", "docs/a.b.md": "file:",
                                                "ok": "link:src/main.c", "docs/up": "link:../src"},
         stdout="", native_only="needs symbolic links (the tree has two)"),
    dict(name="--check-portable: links -- absolute, leaving the tree, to nothing",
         args=["--check-portable"], sort=True, code=1,
         setup={"sub": "dir", "abs": "link:/etc/passwd", "sub/out": "link:../../x",
                "dang": "link:missing", "sub/dang2": "link:../nothing/x",
                "fine": "link:sub", "sub/up": "link:..", "sub/fine2": "link:../fine"},
         stdout="".join(sorted([
             finding("absolute-target", "abs", "the link's target '/etc/passwd' is an absolute "
                     "POSIX path: on Windows it means the same path on the current drive, which "
                     "is not there"),
             outside("sub/out", "../../x"), missing("sub/out", "../../x"),
             missing("dang", "missing"), missing("sub/dang2", "../nothing/x")])),
         native_only="Wine 8 makes no symbolic links and hides dangling ones"),
    dict(name="--check-portable --max-path: a path of exactly the limit passes, one more unit not",
         args=["--check-portable", "--max-path", "12"],
         setup={"abcdefghi": "file:", "abcdefghij": "file:"},
         stdout=too_long("abcdefghij", 13, 12), code=1),
    dict(name="--check-portable --max-path: a directory keeps 12 units for an 8.3 name",
         args=["--check-portable", "--max-path", "20"],
         setup={"dir45": "dir", "dir456": "dir", "dir456/f": "file:", "dir45/f": "file:"},
         stdout=too_long("dir456", 9, 8, is_dir=True), code=1),
    dict(name="--check-portable: a missing directory", args=["--check-portable", "nodir"],
         stderr="mklink: check-portable 'nodir': " + ENOPATH, code=1),
    dict(name="--check-portable --max-path 0 is a usage error",
         args=["--check-portable", "--max-path", "0"],
         stderr=("mklink: invalid --max-path '0' (a number of UTF-16 units, 1 to 1000000)\n"
                 "Try 'mklink --help' for more information.\n"), code=2),
    dict(name="--max-path without --check-portable is a usage error",
         args=["--list", "--max-path", "9"],
         stderr=("mklink: --max-path applies only to --check-portable\n"
                 "Try 'mklink --help' for more information.\n"), code=2),
    # ---- --move: the command line (issue 14) ------------------------------
    # The Windows syntax of a create, the usage errors of the extended
    # options; nothing is touched by any of these.
    dict(name="--move with one name: syntax error", setup=D, args=["--move", "/J", "d"],
         stderr=SYNTAX, code=1),
    dict(name="--move with three names: syntax error", setup=D,
         args=["--move", "/J", "d", "e", "f"], stderr=SYNTAX, code=1),
    dict(name="--move alone: syntax error", args=["--move"], stderr=SYNTAX, code=1),
    dict(name="--move with an unknown switch", setup=D, args=["--move", "/X", "d", "e"],
         stderr='Invalid switch - "X".\n', code=1),
    dict(name="--move /? prints help", args=["--move", "/?"], stdout=HELP),
    dict(name="--move --replace is refused", setup=D, args=["--move", "--replace", "/J", "d", "e"],
         stderr="mklink: --replace cannot be used with --move\n" + USAGE_TAIL, code=2),
    dict(name="--move --relative is refused", setup=D, args=["--move", "--relative", "/D", "d", "e"],
         stderr="mklink: --relative cannot be used with --move\n" + USAGE_TAIL, code=2),
    dict(name="--move with --delete is refused", setup=D, args=["--move", "--delete", "d"],
         stderr="mklink: --move and --delete cannot be used together\n" + USAGE_TAIL, code=2),
    dict(name="--resume without --move is refused", setup=D, args=["--resume", "d"],
         stderr="mklink: --resume applies only to --move\n" + USAGE_TAIL, code=2),
    dict(name="--rollback without --move is refused", setup=D, args=["--rollback", "d"],
         stderr="mklink: --rollback applies only to --move\n" + USAGE_TAIL, code=2),
    dict(name="--move --resume --rollback is refused", setup=D,
         args=["--move", "--resume", "--rollback", "d"],
         stderr="mklink: --resume and --rollback cannot be used together\n" + USAGE_TAIL, code=2),
    dict(name="--move --resume without LINK", args=["--move", "--resume"],
         stderr="mklink: --move --resume needs exactly one LINK\n" + USAGE_TAIL, code=2),
    dict(name="--move --rollback with two names", setup=D, args=["--move", "--rollback", "d", "e"],
         stderr="mklink: --move --rollback needs exactly one LINK\n" + USAGE_TAIL, code=2),
    dict(name="--move --resume takes no kind (the journal has it)", setup=D,
         args=["--move", "--resume", "/J", "d"],
         stderr="mklink: /J cannot be used with --move --resume\n" + USAGE_TAIL, code=2),
    dict(name="--move --rollback --dry-run is refused", setup=D,
         args=["--move", "--rollback", "--dry-run", "d"],
         stderr="mklink: --dry-run cannot be used with --move --rollback\n" + USAGE_TAIL, code=2),
    dict(name="--dry-run without --apply or --move is refused", setup=D,
         args=["--dry-run", "/J", "l", "d"],
         stderr="mklink: --dry-run applies only to --apply and --move\n" + USAGE_TAIL, code=2),
    # Refusals and plans of the real library: nothing is touched (the moves
    # themselves, which rename and delete trees, run in the sandbox:
    # tests/posix/test_cli_move.c).
    dict(name="--move over an unfinished move refuses and names both commands",
         setup={**D, "d.mklink-move": "file:mklink-move 1 copy\n"},
         args=["--move", "/J", "d", "e"], stderr=EMOVING + unfinished("d"), code=1),
    dict(name="--move --json over an unfinished move: ok false, pending, the two commands",
         setup={**D, "d.mklink-move": "file:mklink-move 1 copy\n"},
         args=["--move", "--json", "/J", "d", "e"],
         json=[{"op": "move", "event": "result", "link": "d", "target": "e", "kind": "junction",
                "dry_run": False, "ok": False, "error": "MKLINK_EMOVING", "pending": True,
                "resume": "mklink --move --resume d", "rollback": "mklink --move --rollback d"}],
         stderr=EMOVING + unfinished("d"), code=1),
    dict(name="--move --rollback without an unfinished move", setup=D,
         args=["--move", "--rollback", "d"], stderr="mklink: rollback 'd': " + ENOMOVE, code=1),
    dict(name="--move --resume without an unfinished move", setup=D,
         args=["--move", "--resume", "d"], stderr="mklink: resume 'd': " + ENOMOVE, code=1),
    dict(name="--move of a missing LINK", setup=D, args=["--move", "/J", "nothing", "e"],
         stderr=ENOFILE, code=1),
    dict(name="--move a directory with the file kind: the kinds that fit", setup=D,
         args=["--move", "d", "e"],
         stderr="The parameter is incorrect.\nmklink: 'd' is a directory: move it with /D or /J\n",
         code=1),
    dict(name="--move --dry-run prints the plan and changes nothing", setup=D,
         args=["--move", "--dry-run", "/J", "d", "e"],
         stdout=("Would move d to e\n"
                 "  what:  a directory of 1 entry (files, directories and links), 2 bytes (2 B)\n"
                 "  how:   one rename on the same file system: nothing is copied\n"
                 "  then:  Junction created for d <<===>> e\n"
                 "Nothing was changed (--dry-run).\n")),
    dict(name="--move --dry-run --json: the plan's totals", setup=D,
         args=["--move", "--dry-run", "--json", "/D", "d", "e"],
         json=[{"op": "move", "event": "progress", "link": "d", "phase": "plan", "bytes_total": 2,
                "files_total": 1, "same_device": True},
               {"op": "move", "event": "result", "link": "d", "target": "e",
                "kind": "dir_symlink", "dry_run": True, "ok": True, "same_device": True,
                "files": 1, "bytes": 2, "links": 0}]),
    # Real moves on two tmpfs mounts made for the case (a private mount
    # namespace: natively run.py's, under Wine ci/wine-tree's), which vanish
    # with it: the case directory around them is never moved or deleted.
    dict(name="--move /J across two tmpfs mounts: copied, verified, linked", mounts=TWO_TMPFS,
         setup={"a/d": "dir", "a/d/f.txt": "file:xy", "b/e": "dir"},
         args=["--move", "/J", "a/d", "{root}/b/e/d"],
         stdout=("Moved a/d to {root}/b/e/d (copied to another file system and verified: "
                 "a directory of 1 entry, 2 B)\n"
                 "Junction created for a/d <<===>> {root}/b/e/d\n"),
         removes=["a/d", "a/d/f.txt"],
         adds={"a/d": "link:/.{root}/b/e/d", "b/e/d": "dir", "b/e/d/f.txt": "file:xy"},
         needs=["junction"]),
    dict(name="--move /H across two tmpfs mounts is refused before anything moves",
         mounts=TWO_TMPFS, setup={"a/t.txt": "file:x"},
         args=["--move", "/H", "a/t.txt", "{root}/b/t.txt"], stderr=EXDEV, code=1),
    dict(name="--move a file within one mount: one rename and the symbolic link",
         mounts={"a": "tmpfs"}, setup={"a/t.txt": "file:x", "a/s": "dir"},
         args=["--move", "a/t.txt", "{root}/a/s/t.txt"],
         stdout=("Moved a/t.txt to {root}/a/s/t.txt (renamed on the same file system: "
                 "a file of 1 B)\n"
                 "symbolic link created for a/t.txt <<===>> {root}/a/s/t.txt\n"),
         removes=["a/t.txt"], adds={"a/t.txt": "link:{root}/a/s/t.txt", "a/s/t.txt": "file:x"},
         needs=["symlink"]),
]
