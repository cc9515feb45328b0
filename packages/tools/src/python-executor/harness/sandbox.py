"""The sandbox both harness processes start with (TinyLLM Python executor).

Not run on its own: the program the host runs is this file followed by ``answer_server.py``
(runs the code under test), ``tests_runner.py`` (runs the tests and decides the verdict) and
``main.py`` (the entry point, which starts them). First ``drop_privileges()``: as root, become
uid/gid 65534 (nobody), reaching the standard library through directory handles opened first
when nobody cannot enter its directory (pyenv under /root); the kernel then also marks the
process non-dumpable, so other processes of nobody cannot open its /proc entries. Then
``sandbox()`` does, in each process, everything that must happen before any code of its job runs:

- reads the job, one JSON line, from its job descriptor;
- keeps private copies of its job and result descriptors and points fd 0 and fd 1 at /dev/null;
- sets resource limits (address space, CPU, no file writes, 64 files, no new processes, no
  core files);
- installs the step timers' signal handlers and captures printed output in a capped buffer;
- prepares (the role installs it once its own imports are done) an audit hook that refuses
  writes, files outside the standard library, processes, signals, sockets, ctypes, tracing and
  heap inspection.

Result lines look like ``<token> <json>``. Messages between the two processes are JSON lines on
a pipe pair (``box.send``, ``box.peer``); values travel as tagged JSON (``encode_value`` and
``decode_value``), so only plain data crosses.
"""
import sys, os, io, _signal

try:
    import resource
except ImportError:
    resource = None

try:
    import _json
except ImportError:
    _json = None


class Box(object):
    """What sandbox() hands to the role: the job and the helpers, as attributes."""


def drop_privileges():
    """As root, becomes nobody (before the limits, which then bind); returns what the sandboxes need to know of it."""
    stdlib_dirs = [path for path in sys.path if path and os.path.isdir(path)]
    dropped = False
    stdlib_access = "direct"
    if os.geteuid() == 0:
        dir_fds = {}
        for path in stdlib_dirs:
            try:
                dir_fds[path] = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                pass
        try:
            try:
                os.setgroups([])
            except OSError:
                pass
            os.setgid(65534)
            os.setuid(65534)
            dropped = True
        except OSError:
            pass
        remap = {}
        for path, fd in dir_fds.items():
            if not dropped or os.access(path, os.R_OK | os.X_OK):
                os.close(fd)
            else:
                remap[path] = "/proc/self/fd/%d" % fd
        if remap:
            # The standard library sits under a directory nobody cannot enter (pyenv under /root):
            # import it through the directory handles opened above.
            stdlib_access = "descriptor"

            def moved(path):
                for old, new in remap.items():
                    if path == old or path.startswith(old + "/"):
                        return new + path[len(old):]
                return path

            sys.path[:] = [moved(path) for path in sys.path]
            sys.path_importer_cache.clear()
            for module in list(sys.modules.values()):
                locations = getattr(module, "__path__", None)
                if type(locations) is list:
                    locations[:] = [moved(path) for path in locations]
    return {"dropped": dropped, "stdlib_access": stdlib_access, "stdlib_dirs": stdlib_dirs}


def sandbox(role, privileges, job_fd, out_fd, peer_in=None, peer_out=None):
    """Sets up one process of the run: its job from job_fd, its result lines to out_fd, messages from peer_in and to peer_out."""
    # Builtins and methods used after code of the job has run, captured before it can replace them.
    _type = type
    _len = len
    _repr = repr
    _str = str
    _int_repr = int.__repr__
    _float_repr = float.__repr__
    _join = str.join
    _items = dict.items
    _isinstance = isinstance
    _memoryview = memoryview
    _bytes = bytes
    _max = max
    _list = list
    _tuple = tuple
    _BaseException = BaseException
    _Exception = Exception
    _MemoryError = MemoryError
    _SyntaxError = SyntaxError
    _SystemExit = SystemExit
    _PermissionError = PermissionError
    _StopIteration = StopIteration
    _type_name = type.__dict__["__name__"].__get__
    _write = os.write
    _read = os.read
    _setitimer = _signal.setitimer
    _ITIMER_REAL = _signal.ITIMER_REAL
    _ITIMER_PROF = _signal.ITIMER_PROF
    _MAX_DEPTH = 100

    box = Box()
    box.role = role

    # ---- the job, then messages: one JSON document per line ----
    class Lines(object):
        """Lines read from a file descriptor; read() returns bytes without the newline, or None at the end."""

        def __init__(self, fd):
            self.fd = fd
            self.buffer = bytearray()
            self.scanned = 0

        def read(self):
            while True:
                at = self.buffer.find(b"\n", self.scanned)
                if at >= 0:
                    line = _bytes(self.buffer[:at])
                    del self.buffer[: at + 1]
                    self.scanned = 0
                    return line
                self.scanned = _len(self.buffer)
                chunk = _read(self.fd, 1 << 16)
                if not chunk:
                    return None
                self.buffer += chunk


    # ---- JSON: the C scanner and string encoder of the json package, without importing json (and re) ----
    nan = float("nan")
    constants = {"NaN": nan, "Infinity": float("inf"), "-Infinity": float("-inf")}
    if _json is not None:

        class ScanContext(object):
            strict = True
            object_hook = None
            object_pairs_hook = None
            parse_float = float
            parse_int = int
            parse_constant = constants.__getitem__
            memo = {}

        scan = _json.make_scanner(ScanContext())
        encode_str = _json.encode_basestring_ascii

        def decode_json(text):
            try:
                value, end = scan(text, 0)
            except _StopIteration:
                raise ValueError("malformed JSON")
            if end != _len(text):
                raise ValueError("extra data after the JSON value")
            return value

    else:  # pragma: no cover - CPython builds ship _json
        import json

        decode_json = json.loads
        encode_str = json.encoder.encode_basestring_ascii

    box.decode_json = decode_json
    box.encode_str = encode_str

    job_line = Lines(job_fd).read()
    if job_line is None:
        raise RuntimeError("no job")
    if job_fd > 2:
        os.close(job_fd)  # fd 0 is pointed at /dev/null below
    job = decode_json(job_line.decode("utf-8", "surrogatepass"))
    del job_line
    box.job = job
    box.peer = Lines(peer_in) if peer_in is not None else None
    nonce = job["n"]
    step_seconds = job["t"]
    step_wall_seconds = job["w"]
    out_cap = job["out"]

    # ---- the result channel: a private copy of out_fd; fd 0 and 1 now lead to /dev/null ----
    result_fd = os.dup(out_fd)
    null_fd = os.open(os.devnull, os.O_RDWR)
    os.dup2(null_fd, 0)
    os.dup2(null_fd, 1)
    os.close(null_fd)
    if out_fd > 2:
        os.close(out_fd)

    def encode_event(value):
        """JSON of an event: dicts with str keys, lists, str, int, bool, None."""
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        kind = _type(value)
        if kind is int:
            return _int_repr(value)
        if kind is str:
            return encode_str(value)
        if kind is list:
            return "[" + _join(",", [encode_event(item) for item in value]) + "]"
        if kind is dict:
            return "{" + _join(",", [encode_str(key) + ":" + encode_event(item) for key, item in _items(value)]) + "}"
        return encode_str(_str(value))

    out_parts = []
    out_state = [0, False]  # characters kept, truncated

    def take_output():
        try:
            text = _join("", out_parts)
        except _BaseException:
            text = ""
        del out_parts[:]
        return text

    def write_line(text):
        data = ("\n" + nonce + " " + text + "\n").encode("utf-8", "surrogatepass")
        view = _memoryview(data)
        while _len(view):
            view = view[_write(result_fd, view):]

    def emit(event):
        """Writes an event, with the output printed since the last one."""
        event["out"] = take_output()
        if out_state[1]:
            event["truncated"] = True
        write_line(encode_event(event))

    def send(payload):
        """Writes a message to the other process, after any pending output (as an event)."""
        if out_parts:
            emit({"e": "out"})
        view = _memoryview((payload + "\n").encode("utf-8", "surrogatepass"))
        while _len(view):
            view = view[_write(peer_out, view):]

    box.emit = emit
    box.send = send

    stdlib_dirs = privileges["stdlib_dirs"]
    box.dropped = privileges["dropped"]
    box.stdlib_access = privileges["stdlib_access"]

    # ---- resource limits ----
    def limit(name, soft, hard=None):
        which = getattr(resource, name, None) if resource else None
        if which is None:
            return
        hard = soft if hard is None else hard
        try:
            current = resource.getrlimit(which)[1]
            if current != resource.RLIM_INFINITY:
                soft, hard = min(soft, current), min(hard, current)
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):
            pass

    if job["mem"] > 0:
        limit("RLIMIT_AS", job["mem"])
    limit("RLIMIT_CPU", job["cpu"], job["cpu"] + 1)
    limit("RLIMIT_FSIZE", 0)
    limit("RLIMIT_NOFILE", 64)
    limit("RLIMIT_NPROC", 0)
    limit("RLIMIT_CORE", 0)

    # ---- timers ----
    class StepTimeout(BaseException):
        pass

    class StepStalled(BaseException):
        pass

    class CpuLimit(BaseException):
        pass

    class NotPlainValue(BaseException):
        pass

    box.StepTimeout = StepTimeout
    box.StepStalled = StepStalled
    box.NotPlainValue = NotPlainValue

    def on_cpu_timer(signum, frame):
        raise StepTimeout()

    def on_alarm(signum, frame):
        raise StepStalled()

    def on_cpu_limit(signum, frame):
        raise CpuLimit()

    # Each step gets a CPU-time timer (steady under machine load) and a looser wall-clock timer
    # (for code that sleeps or waits).
    _signal.signal(_signal.SIGPROF, on_cpu_timer)
    _signal.signal(_signal.SIGALRM, on_alarm)
    if hasattr(_signal, "SIGXCPU"):
        _signal.signal(_signal.SIGXCPU, on_cpu_limit)

    # ---- captured output ----
    def keep(text):
        room = out_cap - out_state[0]
        if _len(text) > room:
            text = text[: _max(room, 0)]
            out_state[1] = True
        if text:
            out_parts.append(text)
            out_state[0] += _len(text)

    class BinaryOutput(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            data = _bytes(data)
            keep(data.decode("utf-8", "replace"))
            return _len(data)

    class TextOutput(io.TextIOBase):
        encoding = "utf-8"
        errors = "strict"

        def __init__(self):
            self._buffer = BinaryOutput()

        @property
        def buffer(self):
            return self._buffer

        def writable(self):
            return True

        def write(self, text):
            if not _isinstance(text, str):
                raise TypeError("write() argument must be str, not " + _type_name(_type(text)))
            keep(_str.__str__(text))
            return _len(text)

        def flush(self):
            pass

        def isatty(self):
            return False

        def fileno(self):
            raise io.UnsupportedOperation("fileno")

    output = TextOutput()
    sys.stdout = sys.__stdout__ = sys.stderr = sys.__stderr__ = output
    sys.stdin = sys.__stdin__ = io.StringIO("")

    # ---- the audit hook: no writes, no files outside the standard library, no processes, sockets or ctypes ----
    roots = []
    for path in stdlib_dirs:
        roots.append(os.path.realpath(path))
    roots = _tuple(roots)
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    realpath, join, getcwd, fspath, fsdecode = os.path.realpath, os.path.join, os.getcwd, os.fspath, os.fsdecode
    denied_events = {
        "subprocess.Popen": "starting processes",
        "os.system": "starting processes",
        "os.fork": "starting processes",
        "os.forkpty": "starting processes",
        "pty.spawn": "starting processes",
        "os.kill": "sending signals",
        "os.killpg": "sending signals",
        "signal.pthread_kill": "sending signals",
        "os.remove": "changing files",
        "os.rename": "changing files",
        "os.rmdir": "changing files",
        "os.mkdir": "changing files",
        "os.mkfifo": "changing files",
        "os.mknod": "changing files",
        "os.chmod": "changing files",
        "os.chown": "changing files",
        "os.chflags": "changing files",
        "os.link": "changing files",
        "os.symlink": "changing files",
        "os.truncate": "changing files",
        "os.utime": "changing files",
        "os.setxattr": "changing files",
        "os.removexattr": "changing files",
        "os.lockf": "changing files",
        "tempfile.mkstemp": "changing files",
        "tempfile.mkdtemp": "changing files",
        "sqlite3.connect": "databases",
        "resource.setrlimit": "changing resource limits",
        "resource.prlimit": "changing resource limits",
        "sys.settrace": "tracing",
        "sys.setprofile": "tracing",
        "sys.addaudithook": "audit hooks",
        "sys.monitoring.register_callback": "tracing",
        "sys._current_frames": "inspecting other frames",
        "gc.get_objects": "inspecting the heap",
        "gc.get_referrers": "inspecting the heap",
        "gc.get_referents": "inspecting the heap",
        "webbrowser.open": "the network",
        "urllib.Request": "the network",
    }
    denied_prefixes = {
        "socket.": "the network",
        "http.client.": "the network",
        "ftplib.": "the network",
        "smtplib.": "the network",
        "poplib.": "the network",
        "imaplib.": "the network",
        "nntplib.": "the network",
        "telnetlib.": "the network",
        "ctypes.": "ctypes",
        "os.exec": "starting processes",
        "os.spawn": "starting processes",
        "os.posix_spawn": "starting processes",
        "shutil.": "changing files",
    }
    prefix_tuple = _tuple(denied_prefixes)
    denied_imports = {
        "ctypes", "_ctypes", "_ctypes_test", "_testcapi", "_testinternalcapi", "_testbuffer",
        "_testmultiphase", "_testclinic", "_xxsubinterpreters", "_xxinterpchannels", "_interpreters",
        "_interpchannels", "_interpqueues", "_posixshmem", "_tkinter", "readline",
    }

    def deny(what):
        raise _PermissionError("[sandbox] " + what + " is not allowed")

    def readable(path):
        try:
            if _type(path) is int:
                return True
            path = fsdecode(fspath(path))
            real = realpath(join(getcwd(), path))
        except Exception:
            return False
        if real in ("/dev/null", "/dev/urandom"):
            return True
        for root in roots:
            if real == root or real.startswith(root + "/"):
                return True
        return False

    def audit(event, args):
        if event in denied_events:
            deny(denied_events[event])
        if event == "open":
            path, mode, flags = args[0], args[1], args[2]
            if (mode is not None and ("w" in mode or "a" in mode or "x" in mode or "+" in mode)) or (flags and flags & write_flags):
                deny("writing files (%s)" % _repr(path))
            if not readable(path):
                deny("reading files outside the Python standard library (%s)" % _repr(path))
        elif event == "os.listdir" or event == "os.scandir":
            path = args[0] if args and args[0] is not None else "."
            if not readable(path):
                deny("listing directories outside the Python standard library (%s)" % _repr(path))
        elif event == "import":
            if args[0] in denied_imports:
                deny("importing " + args[0])
        elif event.startswith(prefix_tuple):
            for prefix, what in denied_prefixes.items():
                if event.startswith(prefix):
                    deny(what + " (" + event + ")")

    def install_audit_hook():
        sys.addaudithook(audit)

    box.install_audit_hook = install_audit_hook

    # ---- running steps ----
    location_of = {"<answer>": "code", "<test>": "testCode"}

    def line_in(tb, names):
        found = None
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name in names:
                found = (tb.tb_lineno, name)
            tb = tb.tb_next
        return found

    def describe(error):
        try:
            name = _type_name(_type(error))
        except _BaseException:
            name = "Exception"
        try:
            message = _str(error)
            message = _str.__str__(message) if _isinstance(message, str) else ""
        except _BaseException:
            message = "<the exception could not be printed>"
        text = name + ": " + message if message else name
        return text if _len(text) <= 2000 else text[:2000] + "\u2026"

    def located(result, error):
        where = line_in(error.__traceback__, location_of)
        if where:
            result["l"] = where[0]
            result["at"] = location_of[where[1]]
        return result

    # A role may explain errors of its own first (the tests runner: failures of the code's process).
    explainers = []

    def failure(error):
        for explain in explainers:
            result = explain(error)
            if result is not None:
                return result
        kind = _type(error)
        if kind is StepTimeout:
            result = {"k": "timeout"}
        elif kind is StepStalled:
            result = {"k": "stall"}
        elif kind is CpuLimit:
            result = {"k": "cpu"}
        elif _isinstance(error, _MemoryError):
            result = {"k": "memory"}
        elif kind is NotPlainValue:
            result = {"k": "plain", "m": error.args[0]}
        elif _isinstance(error, _SystemExit):
            result = {"k": "exit", "m": describe(error)}
        else:
            result = {"k": "runtime", "m": describe(error)}
        if _isinstance(error, _SyntaxError) and error.filename in location_of:
            result["k"] = "syntax"
            result["m"] = _type_name(_type(error)) + ": " + _str(error.msg)
            if _type(error.lineno) is int:
                result["l"] = error.lineno
                result["at"] = location_of[error.filename]
            if _type(error.offset) is int:
                result["c"] = error.offset
            return result
        return located(result, error)

    box.describe = describe
    box.located = located
    box.failure = failure
    box.explainers = explainers
    box.line_in = line_in

    reserve = [bytearray(1 << 20)]
    timer_left = [0.0]

    def step(work, cpu_seconds=None, wall_seconds=None):
        """Runs work() under the step's timers; returns its result or a failure. Leaves the CPU time left in timer_left[0]."""
        _setitimer(_ITIMER_PROF, step_seconds if cpu_seconds is None else cpu_seconds)
        _setitimer(_ITIMER_REAL, step_wall_seconds if wall_seconds is None else wall_seconds)
        try:
            try:
                return work()
            except _BaseException as error:
                if _isinstance(error, _MemoryError):
                    reserve[:] = []
                # Still under the timer: describing the error may run the code's __str__.
                return failure(error)
            finally:
                _setitimer(_ITIMER_REAL, 0)
                timer_left[0] = _setitimer(_ITIMER_PROF, 0)[0]
        except _BaseException as error:
            # The timer (or the CPU limit) fired while the failure was being described.
            timer_left[0] = 0.0
            return failure(error)

    box.step = step
    box.timer_left = timer_left
    box.step_seconds = step_seconds
    box.step_wall_seconds = step_wall_seconds

    # ---- values that cross between the processes: tagged JSON ----
    #   null true false, numbers (ints up to 2**63, floats with NaN and Infinity), strings, and
    #   ["l", ...] list, ["t", ...] tuple, ["s", ...] set, ["z", ...] frozenset,
    #   ["d", k, v, ...] dict, ["o", ...] OrderedDict, ["D", ...] defaultdict, ["C", ...] Counter,
    #   ["q", maxlen, ...] deque, ["b", hex] bytes, ["c", real, imag] complex, ["i", hex] big int,
    #   ["r", ...] a reference to an object that stays in the code's process.
    class TooLarge(Exception):
        pass

    class Refused(Exception):
        """A value that cannot cross; args[0] says what it is ("an object of type X")."""

    box.Refused = Refused
    box.MAX_DEPTH = _MAX_DEPTH
    _BIG = 1 << 63
    _tags = {list: "l", tuple: "t", set: "s", frozenset: "z"}
    _dict_tags = {dict: "d"}

    def collection_tags():
        # collections' types can only occur once collections is imported.
        collections = sys.modules.get("collections")
        if collections is None:
            return None, None
        return {collections.deque: "q"}, {collections.OrderedDict: "o", collections.defaultdict: "D", collections.Counter: "C"}

    def encode_value(value, refer, cap):
        """Tagged JSON of a plain value; other objects go to refer(obj), which returns JSON or raises Refused."""
        parts = []
        size = [0]
        deques, mappings = collection_tags()

        def add(text):
            parts.append(text)
            size[0] += _len(text)
            if size[0] > cap:
                raise TooLarge()

        def enc(item, depth):
            kind = _type(item)
            if item is None:
                add("null")
            elif item is True:
                add("true")
            elif item is False:
                add("false")
            elif kind is int:
                if -_BIG < item < _BIG:
                    add(_int_repr(item))
                else:
                    add('["i","' + hex(item) + '"]')
            elif kind is float:
                text = _float_repr(item)
                add("NaN" if text == "nan" else "Infinity" if text == "inf" else "-Infinity" if text == "-inf" else text)
            elif kind is str:
                if _len(item) > cap:
                    raise TooLarge()
                add(encode_str(item))
            elif depth >= _MAX_DEPTH:
                raise Refused("a value nested more than %d levels deep" % _MAX_DEPTH)
            elif kind in _tags:
                add('["' + _tags[kind] + '"')
                for element in item:
                    add(",")
                    enc(element, depth + 1)
                add("]")
            elif kind in _dict_tags or (mappings is not None and kind in mappings):
                add('["' + (_dict_tags.get(kind) or mappings[kind]) + '"')
                for key, element in _list(_items(item)):
                    add(",")
                    enc(key, depth + 1)
                    add(",")
                    enc(element, depth + 1)
                add("]")
            elif deques is not None and kind in deques:
                maxlen = item.maxlen
                add('["q",' + ("null" if maxlen is None else _int_repr(maxlen)))
                for element in _list(item):
                    add(",")
                    enc(element, depth + 1)
                add("]")
            elif kind is bytes:
                if 2 * _len(item) > cap:
                    raise TooLarge()
                add('["b","' + item.hex() + '"]')
            elif kind is complex:
                add('["c",')
                enc(item.real, depth + 1)
                add(",")
                enc(item.imag, depth + 1)
                add("]")
            else:
                add(refer(item))

        enc(value, 0)
        return _join("", parts)

    box.encode_value = encode_value
    box.TooLarge = TooLarge

    def decode_value(data, resolve):
        """The value of tagged JSON (already parsed); resolve(items) makes a reference. Raises ValueError on anything else."""
        collections_module = []

        def collections():
            if not collections_module:
                import collections as module

                collections_module.append(module)
            return collections_module[0]

        def pairs(items, depth):
            if _len(items) % 2:
                raise ValueError("a mapping with an odd number of items")
            decoded = [dec(item, depth + 1) for item in items]
            return _list(zip(decoded[0::2], decoded[1::2]))

        def dec(item, depth):
            kind = _type(item)
            if item is None or kind is bool or kind is int or kind is float or kind is str:
                return item
            if kind is not list or not item or _type(item[0]) is not str:
                raise ValueError("not a tagged value")
            if depth >= _MAX_DEPTH:
                raise ValueError("nested too deep")
            tag = item[0]
            rest = item[1:]
            if tag == "l":
                return [dec(element, depth + 1) for element in rest]
            if tag == "t":
                return _tuple([dec(element, depth + 1) for element in rest])
            if tag == "s":
                return set([dec(element, depth + 1) for element in rest])
            if tag == "z":
                return frozenset([dec(element, depth + 1) for element in rest])
            if tag == "d":
                return dict(pairs(rest, depth))
            if tag == "o":
                return collections().OrderedDict(pairs(rest, depth))
            if tag == "D":
                return collections().defaultdict(None, pairs(rest, depth))
            if tag == "C":
                counter = collections().Counter()
                dict.update(counter, pairs(rest, depth))
                return counter
            if tag == "q":
                if not rest or not (rest[0] is None or (_type(rest[0]) is int and rest[0] >= 0)):
                    raise ValueError("a deque without a valid maxlen")
                return collections().deque([dec(element, depth + 1) for element in rest[1:]], rest[0])
            if tag == "b" and _len(rest) == 1 and _type(rest[0]) is str:
                return _bytes.fromhex(rest[0])
            if tag == "c" and _len(rest) == 2 and _type(rest[0]) in (int, float) and _type(rest[1]) in (int, float):
                return complex(rest[0], rest[1])
            if tag == "i" and _len(rest) == 1 and _type(rest[0]) is str:
                return int(rest[0], 16)
            if tag == "r":
                return resolve(rest)
            raise ValueError("unknown tag " + _repr(tag)[:20])

        return dec(data, 0)

    box.decode_value = decode_value
    return box


def run_role(main):
    """Runs the role's main(); ends the process with os._exit: no interpreter shutdown, so no atexit handler or finalizer of the job's code runs after the report."""
    try:
        main()
    except BaseException as error:
        try:
            os.write(2, ("harness failed: %r\n" % (error,)).encode("utf-8", "replace"))
            import traceback

            os.write(2, traceback.format_exc().encode("utf-8", "replace"))
        finally:
            os._exit(70)
    os._exit(0)
