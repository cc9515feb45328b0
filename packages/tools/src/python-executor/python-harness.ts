/**
 * The Python program each run executes (`python -I -S -B -X utf8 -c <this>`). Before any user code
 * it reads the job from stdin, keeps a private copy of stdout for its result lines (fd 0 and 1 then
 * lead to /dev/null), drops root to nobody (reaching the standard library through directory handles
 * opened first when nobody cannot enter its directory), sets resource limits, captures printed
 * output in capped buffers, and installs an audit hook that refuses writes, files outside the
 * standard library, processes, signals, sockets and ctypes. It then runs the code and the tests,
 * each step under a CPU-time timer (`ITIMER_PROF`) and a looser wall-clock one (`ITIMER_REAL`),
 * checking that values compared by tests are plain builtin values, and reports each step as a
 * line `<token> <json>`. It ends with `os._exit(0)`: no interpreter shutdown, so no `atexit`
 * handler or finalizer of the code runs after the report.
 *
 * Kept as a plain Python source (String.raw: backslashes stay as written) so it can be read and
 * tested on its own; it must contain neither backticks nor a dollar sign followed by a brace.
 *
 * @internal
 */
export const pythonHarness = String.raw`import sys, os, io, ast, builtins, collections, _signal, _operator
try:
    import resource
except ImportError:
    resource = None


def _harness():
    # Builtins and methods used after user code has run, captured before it can replace them.
    _type = type
    _len = len
    _repr = repr
    _str = str
    _int_repr = int.__repr__
    _translate = str.translate
    _join = str.join
    _items = dict.items
    _update = dict.update
    _type_name = type.__dict__["__name__"].__get__
    _compile = compile
    _exec = exec
    _eval = eval
    _callable = callable
    _isinstance = isinstance
    _zip = zip
    _enumerate = enumerate
    _memoryview = memoryview
    _tuple = tuple
    _bool = bool
    _max = max
    _Eq = ast.Eq
    _BaseException = BaseException
    _MemoryError = MemoryError
    _SyntaxError = SyntaxError
    _SystemExit = SystemExit
    _PermissionError = PermissionError
    _write = os.write
    _setitimer = _signal.setitimer
    _ITIMER_REAL = _signal.ITIMER_REAL
    _ITIMER_PROF = _signal.ITIMER_PROF
    _ONLY_AST = ast.PyCF_ONLY_AST
    _Assert, _Expr, _Expression = ast.Assert, ast.Expr, ast.Expression
    _BoolOp, _And, _UnaryOp, _Not, _Compare = ast.BoolOp, ast.And, ast.UnaryOp, ast.Not, ast.Compare
    _COMPARE = {
        ast.Eq: _operator.eq, ast.NotEq: _operator.ne, ast.Lt: _operator.lt, ast.LtE: _operator.le,
        ast.Gt: _operator.gt, ast.GtE: _operator.ge, ast.Is: _operator.is_, ast.IsNot: _operator.is_not,
        ast.In: lambda a, b: _operator.contains(b, a), ast.NotIn: lambda a, b: not _operator.contains(b, a),
    }
    _IDENTITY = (ast.Is, ast.IsNot)
    _SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
    _ATOMS = {type(None), bool, int, float, complex, str, bytes}
    _CONTAINERS = {list, tuple, set, frozenset, collections.deque}
    _MAPPINGS = {dict, collections.OrderedDict, collections.defaultdict}
    _Counter = collections.Counter
    _DUNDERS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__len__", "__contains__", "__iter__", "__getitem__", "__missing__", "__hash__")
    _counter_methods = _Counter.__dict__
    _counter_dunders = _tuple([_counter_methods.get(name) for name in _DUNDERS])
    _range = range
    _HEAP_TYPE = 1 << 9
    _IMMUTABLE_TYPE = (1 << 8) if sys.version_info >= (3, 10) else 0
    _type_flags = type.__dict__["__flags__"].__get__
    _type_module = type.__dict__["__module__"].__get__
    _MAX_DEPTH = 100

    # ---- the job, sent by the host as one literal on stdin ----
    chunks = []
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    job = ast.literal_eval(b"".join(chunks).decode("utf-8", "surrogatepass"))
    del chunks
    nonce = job["n"]
    mode = job["mode"]
    step_seconds = job["t"]
    step_wall_seconds = job["w"]
    out_cap = job["out"]

    # ---- the result channel: a private copy of stdout; fd 0 and 1 now lead to /dev/null ----
    result_fd = os.dup(1)
    null_fd = os.open(os.devnull, os.O_RDWR)
    os.dup2(null_fd, 0)
    os.dup2(null_fd, 1)
    os.close(null_fd)
    escapes = {i: "\\u%04x" % i for i in range(32)}
    escapes.update({i: "\\u%04x" % i for i in range(0xD800, 0xE000)})
    escapes[34] = '\\"'
    escapes[92] = "\\\\"

    def encode(value):
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
            return '"' + _translate(value, escapes) + '"'
        if kind is list:
            return "[" + _join(",", [encode(item) for item in value]) + "]"
        if kind is dict:
            return "{" + _join(",", [encode(key) + ":" + encode(item) for key, item in _items(value)]) + "}"
        return encode(_str(value))

    out_parts = []
    out_state = [0, False]  # characters kept, truncated

    def take_output():
        try:
            text = _join("", out_parts)
        except _BaseException:
            text = ""
        del out_parts[:]
        return text

    def emit(event):
        event["out"] = take_output()
        if out_state[1]:
            event["truncated"] = True
        data = ("\n" + nonce + " " + encode(event) + "\n").encode("utf-8", "surrogatepass")
        view = _memoryview(data)
        while _len(view):
            view = view[_write(result_fd, view):]

    # ---- privileges: as root, become nobody so the limits below bind ----
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
                        return new + path[_len(old):]
                return path

            sys.path[:] = [moved(path) for path in sys.path]
            sys.path_importer_cache.clear()
            for module in list(sys.modules.values()):
                locations = getattr(module, "__path__", None)
                if _type(locations) is list:
                    locations[:] = [moved(path) for path in locations]

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
            data = bytes(data)
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
            if not isinstance(text, str):
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

    def leave(code=None):
        raise SystemExit(code)

    builtins.exit = builtins.quit = leave
    # Tests look names up through a copy of the builtins taken now, so code that patches the
    # builtins module (builtins.abs = ...) cannot change what the tests compute.
    pristine = dict(builtins.__dict__)

    # ---- the audit hook: no writes, no files outside the standard library, no processes, sockets or ctypes ----
    roots = []
    for path in stdlib_dirs:
        real = os.path.realpath(path)
        roots.append(real)
    roots = tuple(roots)
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
    prefix_tuple = tuple(denied_prefixes)
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

    # ---- running steps ----
    def line_in(tb, names):
        found = None
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name in names:
                found = (tb.tb_lineno, name)
            tb = tb.tb_next
        return found

    location_of = {"<answer>": "code", "<test>": "testCode"}

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
        return text if _len(text) <= 2000 else text[:2000] + "…"

    def failure(error):
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
        where = line_in(error.__traceback__, location_of)
        if where:
            result["l"] = where[0]
            result["at"] = location_of[where[1]]
        return result

    reserve = [bytearray(1 << 20)]

    def step(work):
        """Runs work() under the per-step timer; returns {"k": "ok", ...} or a failure."""
        _setitimer(_ITIMER_PROF, step_seconds)
        _setitimer(_ITIMER_REAL, step_wall_seconds)
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
                _setitimer(_ITIMER_PROF, 0)
        except _BaseException as error:
            # The timer (or the CPU limit) fired while the failure was being described.
            return failure(error)

    def not_plain(value):
        pending = [(value, 0)]
        while pending:
            item, depth = pending.pop()
            kind = _type(item)
            if kind in _ATOMS:
                continue
            if depth >= _MAX_DEPTH:
                return "a value nested more than %d levels deep" % _MAX_DEPTH
            if kind in _CONTAINERS:
                for element in item:
                    pending.append((element, depth + 1))
            elif kind in _MAPPINGS or (kind is _Counter and _tuple([_counter_methods.get(name) for name in _DUNDERS]) == _counter_dunders):
                for key, element in _items(item):
                    pending.append((key, depth + 1))
                    pending.append((element, depth + 1))
            else:
                return "an object of type " + _type_name(kind)
        return None

    plain_help = " (tests accept None, bool, int, float, complex, str, bytes and lists, tuples, sets, frozensets and dicts of them, so that objects that compare equal to anything cannot pass)"

    def sealed_truthy(value):
        # Truth of these C types never runs Python code: a range, a re.Match.
        kind = _type(value)
        if kind is _range:
            return True
        flags = _type_flags(kind)
        sealed = not (flags & _HEAP_TYPE) or (flags & _IMMUTABLE_TYPE)
        return _bool(sealed) and _type_name(kind) == "Match" and _type_module(kind) == "re"

    def shown(value):
        text = _repr(value)
        return text if _len(text) <= 300 else text[:300] + "…"

    harness_module = sys.modules["__main__"]  # keeps the harness's own module alive
    module = _type(sys)("__main__" if mode == "run" else "solution")
    namespace = module.__dict__
    namespace["__builtins__"] = builtins
    sys.modules[module.__name__] = module

    def load_code():
        source = job["code"]
        if mode == "run":
            tree = _compile(source, "<answer>", "exec", _ONLY_AST)
            last = tree.body[-1] if tree.body else None
            if _type(last) is _Expr:
                tree.body.pop()
                _exec(_compile(tree, "<answer>", "exec"), namespace)
                value = _eval(_compile(_Expression(body=last.value), "<answer>", "eval"), namespace)
                if value is not None:
                    return {"k": "ok", "v": _str.__str__(_repr(value))[:out_cap]}
                return {"k": "ok"}
        _exec(_compile(source, "<answer>", "exec"), namespace)
        return {"k": "ok"}

    def drop_namespace():
        namespace.clear()
        return {"k": "ok"}

    def run_code():
        try:
            return load_code()
        except _SystemExit as error:
            # Like "python -c": ending with status 0 (or None) is a normal end of a plain run.
            if mode == "run" and (error.code is None or (_type(error.code) in (int, bool) and error.code == 0)):
                return {"k": "ok"}
            raise

    # Tests run in a copy of the code's namespace (refreshed before each test) whose builtins are
    # the pristine copy; the code's own functions keep their globals.
    tests = {}

    # Names the code defines over builtins (def abs(x): return 0) are put back to the builtin in the
    # tests' namespace, except the function under test: the entry point, or for asserts the
    # functions the asserts call that the code defines (preferring names that are not builtins).
    kept = {}

    def refresh_tests():
        tests.clear()
        _update(tests, namespace)
        if "names" not in kept:
            entry = job.get("entry")
            defined = {name for name in called if name in namespace}
            own = {name for name in defined if name not in pristine}
            kept["names"] = {entry} if entry else (own or defined)
        keep = kept["names"]
        for name in [*tests]:
            if name in pristine and not name.startswith("__") and name not in keep:
                tests[name] = pristine[name]
        tests["__builtins__"] = pristine

    def run_setup():
        _exec(_compile(job["setup"], "<test>", "exec"), namespace)
        return {"k": "ok"}

    def run_test_code():
        refresh_tests()
        _exec(_compile(job["test"], "<test>", "exec"), tests)
        return {"k": "ok"}

    violations = []

    def guard(function):
        def candidate(*args, **kwargs):
            result = function(*args, **kwargs)
            why = not_plain(result)
            if why is not None:
                message = "the candidate returned " + why + ", not a plain value" + plain_help
                violations.append(message)
                raise NotPlainValue(message)
            return result

        return candidate

    def run_check():
        entry = job["entry"]
        if entry not in namespace:
            return {"k": "runtime", "m": "NameError: the code does not define %s (the entry point)" % entry}
        check = tests.get("check")
        if not _callable(check):
            return {"k": "runtime", "m": "NameError: testCode does not define check(candidate)", "at": "testCode"}
        check(guard(namespace[entry]))
        if violations:
            raise NotPlainValue(violations[0])
        return {"k": "ok"}

    def value_of(node):
        return _eval(_compile(_Expression(body=node), "<test>", "eval"), tests)

    def plain_or_fail(value, side):
        why = not_plain(value)
        if why is not None:
            raise NotPlainValue("the " + side + " is " + why + ", not a plain value" + plain_help)
        return value

    def truth(node):
        """Evaluates an assertion's test; returns None when it holds, else a description."""
        kind = _type(node)
        if kind is _BoolOp:
            is_and = _type(node.op) is _And
            last = None
            for part in node.values:
                last = truth(part)
                if is_and and last is not None:
                    return last
                if not is_and and last is None:
                    return None
            return last
        if kind is _UnaryOp and _type(node.op) is _Not:
            return "the negated condition held" if truth(node.operand) is None else None
        if kind is _Compare:
            left = value_of(node.left)
            for op, right_node in _zip(node.ops, node.comparators):
                right = value_of(right_node)
                op_kind = _type(op)
                if op_kind not in _IDENTITY:
                    plain_or_fail(left, "left side")
                    plain_or_fail(right, "right side")
                if not _COMPARE[op_kind](left, right):
                    if op_kind is _Eq:
                        return {"m": "AssertionError: got " + shown(left) + ", expected " + shown(right), "actual": shown(left), "expected": shown(right)}
                    return shown(left) + " " + _SYMBOLS.get(op_kind, "?") + " " + shown(right) + " is false"
                left = right
            return None
        value = value_of(node)
        if not sealed_truthy(value):
            plain_or_fail(value, "asserted value")
        return None if value else "the asserted value was " + shown(value)

    def run_assert(source):
        def work():
            refresh_tests()
            tree = _compile(source, "<test>", "exec", _ONLY_AST)
            if _len(tree.body) == 1 and _type(tree.body[0]) is _Assert:
                verdict = truth(tree.body[0].test)
                if verdict is None:
                    return {"k": "ok"}
                if _type(verdict) is dict:
                    verdict.update({"k": "runtime", "l": tree.body[0].lineno, "at": "testCode"})
                    return verdict
                return {"k": "runtime", "m": "AssertionError: " + verdict, "l": tree.body[0].lineno, "at": "testCode"}
            _exec(_compile(tree, "<test>", "exec"), tests)
            return {"k": "ok"}

        return work

    # What the asserts call, read before any of the code runs (it could patch the ast module).
    called = set()
    for source in job.get("asserts") or ():
        try:
            for node in ast.walk(_compile(source, "<test>", "exec", _ONLY_AST)):
                if _type(node) is ast.Call and _type(node.func) is ast.Name:
                    called.add(node.func.id)
        except SyntaxError:
            pass

    stops = ("timeout", "stall", "cpu", "memory")
    emit({"e": "ready", "dropped": dropped, "stdlib": stdlib_access, "uid": os.getuid()})
    sys.addaudithook(audit)
    try:
        loaded = step(run_code)
        if loaded["k"] == "memory":
            # Let go of what the code built, so the report itself has memory to work with.
            step(drop_namespace)
        if loaded["k"] == "ok" and job.get("setup"):
            loaded = step(run_setup)
            if loaded["k"] != "ok":
                loaded.setdefault("at", "testCode")
        emit({"e": "load", "r": loaded})
        if loaded["k"] == "ok" and mode == "check":
            result = step(run_test_code)
            if result["k"] == "ok" and job.get("entry"):
                result = step(run_check)
            emit({"e": "case", "i": 0, "r": result})
        elif loaded["k"] == "ok" and mode == "asserts":
            for index, source in _enumerate(job["asserts"]):
                result = step(run_assert(source))
                emit({"e": "case", "i": index, "r": result})
                if result["k"] in stops:
                    break
        emit({"e": "done"})
    except _BaseException as error:
        reserve[:] = []
        emit({"e": "fatal", "r": failure(error)})


try:
    _harness()
except BaseException as error:
    try:
        os.write(2, ("harness failed: %r\n" % (error,)).encode("utf-8", "replace"))
        import traceback
        os.write(2, traceback.format_exc().encode("utf-8", "replace"))
    finally:
        os._exit(70)
os._exit(0)
`;
