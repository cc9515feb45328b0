"""The process that runs the tests and decides the verdict (TinyLLM Python executor); see sandbox.py and main.py.

It never runs the code under test, and never saw it: the code runs in the answer server, a
process forked from this one before either read its job (main.py); here
its top-level names are stand-ins: a function or class becomes a stub that sends the call's
arguments (plain data only) to the answer server and returns its answer, decoded here into
fresh builtin values (None, bool, int, float, complex, str, bytes, and lists, tuples, sets,
frozensets and dicts of them, plus collections' deque, OrderedDict, defaultdict and Counter).
Anything else the code returns stays in its process and arrives as a reference, which may be
passed back to the code (or called) but refuses to be compared, hashed, iterated, or tested
for truth (except a range or a re.Match, whose truth the code's process reports): a test that
uses it fails. Modules the code imported are imported again here, by name; its plain
top-level values are copied.

Job modes: ``check`` (HumanEval: ``test`` defines ``check(candidate)``, called with the entry
point) and ``asserts`` (MBPP: one test per assertion, each side of a comparison and every value
tested for truth must be plain). Events: ``ready``, ``setup`` (the suite's ``setup`` and the
imports), one ``case`` per test, ``gone`` (how the answer server ended, when it ended first),
``done``.
"""


def tests_runner(box, answer_pid):
    job = box.job
    mode = job["mode"]
    # _ast rather than ast: the same node classes without ast.py's imports (enum, contextlib, collections).
    import _ast as ast, builtins, _operator

    _type = type
    _len = len
    _repr = repr
    _compile = compile
    _exec = exec
    _eval = eval
    _callable = callable
    _zip = zip
    _enumerate = enumerate
    _bool = bool
    _type_name = type.__dict__["__name__"].__get__
    _type_flags = type.__dict__["__flags__"].__get__
    _type_module = type.__dict__["__module__"].__get__
    _HEAP_TYPE = 1 << 9
    _IMMUTABLE_TYPE = (1 << 8) if sys.version_info >= (3, 10) else 0
    _ONLY_AST = ast.PyCF_ONLY_AST
    _Assert, _Expression = ast.Assert, ast.Expression
    _BoolOp, _And, _UnaryOp, _Not, _Compare, _Eq = ast.BoolOp, ast.And, ast.UnaryOp, ast.Not, ast.Compare, ast.Eq
    _COMPARE = {
        ast.Eq: _operator.eq, ast.NotEq: _operator.ne, ast.Lt: _operator.lt, ast.LtE: _operator.le,
        ast.Gt: _operator.gt, ast.GtE: _operator.ge, ast.Is: _operator.is_, ast.IsNot: _operator.is_not,
        ast.In: lambda a, b: _operator.contains(b, a), ast.NotIn: lambda a, b: not _operator.contains(b, a),
    }
    _IDENTITY = (ast.Is, ast.IsNot)
    _SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
    _ATOMS = {type(None), bool, int, float, complex, str, bytes}
    _CONTAINERS = {list, tuple, set, frozenset}
    _MAPPINGS = {dict}
    _MAX_DEPTH = box.MAX_DEPTH
    _range = range
    NotPlainValue = box.NotPlainValue
    Refused = box.Refused
    TooLarge = box.TooLarge
    encode_str = box.encode_str
    ARGUMENT_CAP = 16 << 20
    MAX_NAMES = 10000
    # Modules the code imported that are not imported again here.
    UNIMPORTED = {"antigravity", "this", "__hello__", "__phello__", "site", "idlelib", "tkinter", "turtle", "turtledemo", "pydoc"}

    def walk(tree):
        pending = [tree]
        while pending:
            node = pending.pop()
            yield node
            for field in node._fields:
                value = getattr(node, field, None)
                if isinstance(value, ast.AST):
                    pending.append(value)
                elif _type(value) is list:
                    pending.extend([item for item in value if isinstance(item, ast.AST)])

    # What the asserts call, read before anything else runs.
    called = set()
    for source in job.get("asserts") or ():
        try:
            for node in walk(_compile(source, "<test>", "exec", _ONLY_AST)):
                if _type(node) is ast.Call and _type(node.func) is ast.Name:
                    called.add(node.func.id)
        except SyntaxError:
            pass

    box.emit({"e": "ready", "dropped": box.dropped, "stdlib": box.stdlib_access, "uid": os.getuid()})
    box.install_audit_hook()

    plain_help = " (tests accept None, bool, int, float, complex, str, bytes and lists, tuples, sets, frozensets and dicts of them, so that objects that compare equal to anything cannot pass)"

    # ---- the state of the running test ----
    state = {"step": 0, "sequence": 0, "violation": None, "fatal": None, "gone": None}
    remote_errors = {}

    class AnswerFailed(BaseException):
        """The code's process failed the call (timeout, memory, exit...), or is gone: the test fails even if it catches this."""

    def answer_gone():
        """The answer server closed its end: wait for it and report how it ended; every later call fails."""
        if state["gone"] is None:
            state["gone"] = {"k": "ended"}
            try:
                status = os.waitpid(answer_pid, 0)[1]
                code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
                signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
            except ChildProcessError:
                code = signal = None
            box.emit({"e": "gone", "code": code, "signal": signal})
        fail_call(state["gone"])

    def fail_call(result):
        if state["fatal"] is None:
            state["fatal"] = result
        raise AnswerFailed(result)

    def violate(message):
        if state["violation"] is None:
            state["violation"] = message
        raise NotPlainValue(message)

    def explain(error):
        if _type(error) is AnswerFailed:
            return dict(error.args[0])
        entry = remote_errors.get(id(error))
        if entry is not None and entry[0] is error:
            return dict(entry[1])
        return None

    box.explainers.append(explain)

    # ---- objects that stayed in the code's process ----
    class Opaque(object):
        __slots__ = ("_ref", "_why", "_truth")

        def __init__(self, ref, why, truth):
            self._ref = ref
            self._why = why
            self._truth = truth

        def __repr__(self):
            return "<" + self._why + " in the code's process>"

        def __call__(self, *args, **kwargs):
            return call(self._ref, args, kwargs, False)

        def __bool__(self):
            if self._truth is None:
                used(self, "tested for truth")
            return self._truth

    def used(opaque, how):
        violate("the tests " + how + " " + opaque._why + " from the code, not a plain value" + plain_help)

    def refusing(how):
        def refuse(self, *args):
            used(self, how)

        return refuse

    for name, how in (
        ("__eq__", "compared"), ("__ne__", "compared"), ("__lt__", "compared"), ("__le__", "compared"),
        ("__gt__", "compared"), ("__ge__", "compared"), ("__hash__", "hashed"), ("__len__", "took the length of"),
        ("__iter__", "iterated over"), ("__contains__", "searched"), ("__getitem__", "indexed"),
        ("__getattr__", "read an attribute of"), ("__index__", "converted"), ("__int__", "converted"),
        ("__float__", "converted"), ("__complex__", "converted"), ("__reduce_ex__", "copied"), ("__reduce__", "copied"),
    ):
        setattr(Opaque, name, refusing(how))

    def make_reference(items):
        if _len(items) != 3 or _type(items[0]) is not int or items[0] < 0 or _type(items[1]) is not str or not (items[2] is None or _type(items[2]) is bool):
            raise ValueError("a malformed reference")
        why = items[1] if _len(items[1]) <= 200 else items[1][:200] + "\u2026"
        return Opaque(items[0], why, items[2])

    def refer(value):
        if _type(value) is Opaque:
            return "[\"r\"," + int.__repr__(value._ref) + "]"
        raise Refused("an object of type " + _type_name(_type(value)))

    # ---- calls ----
    def to_exception(info):
        """The code's exception, raised again here as its nearest builtin exception type (StopIteration as RuntimeError)."""
        name = info.get("t")
        cls = builtins.__dict__.get(name) if _type(name) is str else None
        if not (_type(cls) is type and issubclass(cls, Exception)):
            cls = Exception
        if issubclass(cls, (StopIteration, StopAsyncIteration)):
            # Raised through map() or a for loop, StopIteration would end it early, silently.
            cls = RuntimeError
        message = info.get("m") if _type(info.get("m")) is str else ""
        try:
            error = cls(message)
        except Exception:
            error = Exception(message)
        description = info.get("d") if _type(info.get("d")) is str else _type_name(cls)
        result = {"k": "runtime", "m": description[:2001]}
        if _type(info.get("l")) is int:
            result["l"] = info["l"]
            result["at"] = "code"
        remote_errors[id(error)] = (error, result)
        return error

    FAILURES = ("timeout", "stall", "cpu", "memory", "exit", "runtime")

    def broken(why):
        # The code's process is not running the harness as written: nothing it says counts any more.
        state["gone"] = {"k": "protocol", "m": "the code's process broke the call protocol (it sent " + why + ")"}
        fail_call(state["gone"])

    def call(target, args, kwargs, strict):
        if state["gone"] is not None:
            fail_call(state["gone"])
        try:
            arguments = box.encode_value(args, refer, ARGUMENT_CAP)
            keywords = box.encode_value(kwargs, refer, ARGUMENT_CAP)
        except Refused as why:
            violate("the tests passed " + why.args[0] + " to the code; only plain values and objects the code returned can be passed")
        except TooLarge:
            violate("the tests passed arguments over %d MB as data to the code" % (ARGUMENT_CAP >> 20))
        state["sequence"] += 1
        sequence = state["sequence"]
        function = encode_str(target) if _type(target) is str else int.__repr__(target)
        try:
            box.send('{"q":' + int.__repr__(sequence) + ',"s":' + int.__repr__(state["step"]) + ',"f":' + function + ',"a":' + arguments + ',"k":' + keywords + "}")
        except OSError:
            answer_gone()  # its end of the pipe is closed
        line = box.peer.read()
        if line is None:
            answer_gone()
        try:
            reply = box.decode_json(line.decode("utf-8", "surrogatepass"))
        except Exception:
            broken("a reply that is not JSON")
        if _type(reply) is not dict or reply.get("q") != sequence or _len(reply) != 2:
            broken("a reply to another call")
        if "v" in reply:
            try:
                value = box.decode_value(reply["v"], make_reference)
            except (ValueError, TypeError, OverflowError, RecursionError, MemoryError):
                broken("a value that is not plain data")
            if strict:
                why = not_plain(value)
                if why is not None:
                    violate("the candidate returned " + why + ", not a plain value" + plain_help)
            return value
        if "x" in reply and _type(reply["x"]) is dict:
            raise to_exception(reply["x"])
        if "f" in reply and _type(reply["f"]) is dict and reply["f"].get("k") in FAILURES:
            given = reply["f"]
            result = {"k": given["k"]}
            if _type(given.get("m")) is str:
                result["m"] = given["m"][:2001]
            if _type(given.get("l")) is int:
                result["l"] = given["l"]
                result["at"] = "code"
            fail_call(result)
        broken("an unknown reply")

    def stub(name, strict):
        def function(*args, **kwargs):
            return call(name, args, kwargs, strict)

        function.__name__ = function.__qualname__ = name
        return function

    # ---- checks of the values tests compare ----
    def not_plain(value):
        pending = [(value, 0)]
        while pending:
            item, depth = pending.pop()
            kind = _type(item)
            if kind in _ATOMS:
                continue
            if kind is Opaque:
                return item._why
            if depth >= _MAX_DEPTH:
                return "a value nested more than %d levels deep" % _MAX_DEPTH
            if kind in _CONTAINERS or _type_name(kind) == "deque" and _type_module(kind) == "collections":
                for element in item:
                    pending.append((element, depth + 1))
            elif kind in _MAPPINGS or (_type_module(kind) == "collections" and _type_name(kind) in ("OrderedDict", "defaultdict", "Counter")):
                for key, element in dict.items(item):
                    pending.append((key, depth + 1))
                    pending.append((element, depth + 1))
            else:
                return "an object of type " + _type_name(kind)
        return None

    def sealed_truthy(value):
        # Truth of these types never runs Python code: a range, a re.Match, the code's range or re.Match.
        kind = _type(value)
        if kind is _range:
            return True
        if kind is Opaque:
            return value._truth is not None
        flags = _type_flags(kind)
        sealed = not (flags & _HEAP_TYPE) or (flags & _IMMUTABLE_TYPE)
        return _bool(sealed) and _type_name(kind) == "Match" and _type_module(kind) == "re"

    def shown(value):
        text = _repr(value)
        return text if _len(text) <= 300 else text[:300] + "\u2026"

    def plain_or_fail(value, side):
        why = not_plain(value)
        if why is not None:
            violate("the " + side + " is " + why + ", not a plain value" + plain_help)
        return value

    # ---- the code's names ----
    names_line = box.peer.read()
    if names_line is None:
        # The code's process ended without listing its names (it did not load); the host reports why.
        try:
            answer_gone()
        except AnswerFailed:
            pass
        box.emit({"e": "setup", "r": {"k": "ended"}})
        box.emit({"e": "done"})
        return
    entry = job.get("entry")
    answer_names = {}
    modules = []

    def read_names():
        listing = box.decode_json(names_line.decode("utf-8", "surrogatepass"))
        if _type(listing) is not dict or listing.get("q") != 0 or _type(listing.get("e")) is not list or _len(listing["e"]) > MAX_NAMES:
            raise ValueError("a malformed list")
        for item in listing["e"]:
            if _type(item) is not list or not item or _type(item[0]) is not str or _len(item) < 2 or _type(item[1]) is not str:
                raise ValueError("a malformed name")
            kind, name = item[0], item[1]
            if not name.isidentifier() or name.startswith("__"):
                continue
            if kind == "m" and _len(item) == 2:
                if name not in UNIMPORTED:
                    modules.append(name)
            elif kind == "f" and _len(item) == 2:
                answer_names[name] = stub(name, False)
            elif kind == "v" and _len(item) == 3:
                answer_names[name] = box.decode_value(item[2], make_reference)
            else:
                raise ValueError("a malformed name")

    builtin_names = {name for name in builtins.__dict__ if not name.startswith("__")}
    base = {"__name__": "tests", "__builtins__": builtins}

    def set_up():
        try:
            read_names()
        except Exception as error:
            return {"k": "runtime", "m": "the code's process sent a malformed list of its names (" + box.describe(error) + ")", "at": "code"}
        for name in modules:
            try:
                module = __import__(name)
            except Exception:
                continue
            if module.__name__ == name:
                base[name] = module
        # Names the code defines over builtins (def abs(x): return 0) stay the builtins for the
        # tests, except the function under test: the entry point, or for asserts the functions
        # the asserts call that the code defines (preferring names that are not builtins).
        defined = {name for name in called if name in answer_names}
        own = {name for name in defined if name not in builtin_names}
        keep = {entry} if entry else (own or defined)
        for name, value in answer_names.items():
            if name not in builtin_names or name in keep:
                base[name] = value
        if job.get("setup"):
            _exec(_compile(job["setup"], "<test>", "exec"), base)
        return {"k": "ok"}

    # ---- the tests ----
    def test_step(work):
        state["step"] += 1
        state["violation"] = None
        state["fatal"] = None
        remote_errors.clear()
        # A second more of wall-clock time than the code's process gets, so a call that stalls
        # is reported there, with its line in the code.
        result = box.step(work, None, box.step_wall_seconds + 1.0)
        if state["fatal"] is not None:
            return dict(state["fatal"])
        if state["violation"] is not None:
            return {"k": "plain", "m": state["violation"]}
        return result

    def run_test_code(tests):
        def work():
            _exec(_compile(job["test"], "<test>", "exec"), tests)
            return {"k": "ok"}

        return work

    def run_check(tests):
        def work():
            if entry not in answer_names:
                return {"k": "runtime", "m": "NameError: the code does not define %s (the entry point)" % entry}
            check = tests.get("check")
            if not _callable(check):
                return {"k": "runtime", "m": "NameError: testCode does not define check(candidate)", "at": "testCode"}
            candidate = answer_names[entry]
            check(stub(entry, True) if _type(candidate) is _type(stub) else candidate)
            return {"k": "ok"}

        return work

    def value_of(node, tests):
        return _eval(_compile(_Expression(body=node), "<test>", "eval"), tests)

    def truth(node, tests):
        """Evaluates an assertion's test; returns None when it holds, else a description."""
        kind = _type(node)
        if kind is _BoolOp:
            is_and = _type(node.op) is _And
            last = None
            for part in node.values:
                last = truth(part, tests)
                if is_and and last is not None:
                    return last
                if not is_and and last is None:
                    return None
            return last
        if kind is _UnaryOp and _type(node.op) is _Not:
            return "the negated condition held" if truth(node.operand, tests) is None else None
        if kind is _Compare:
            left = value_of(node.left, tests)
            for op, right_node in _zip(node.ops, node.comparators):
                right = value_of(right_node, tests)
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
        value = value_of(node, tests)
        if not sealed_truthy(value):
            plain_or_fail(value, "asserted value")
        return None if value else "the asserted value was " + shown(value)

    def run_assert(source):
        def work():
            tests = dict(base)
            tree = _compile(source, "<test>", "exec", _ONLY_AST)
            if _len(tree.body) == 1 and _type(tree.body[0]) is _Assert:
                verdict = truth(tree.body[0].test, tests)
                if verdict is None:
                    return {"k": "ok"}
                if _type(verdict) is dict:
                    verdict.update({"k": "runtime", "l": tree.body[0].lineno, "at": "testCode"})
                    return verdict
                return {"k": "runtime", "m": "AssertionError: " + verdict, "l": tree.body[0].lineno, "at": "testCode"}
            _exec(_compile(tree, "<test>", "exec"), tests)
            return {"k": "ok"}

        return work

    stops = ("timeout", "stall", "cpu", "memory", "ended", "protocol")
    try:
        ready = test_step(set_up)
        if ready["k"] != "ok":
            ready.setdefault("at", "testCode")
        box.emit({"e": "setup", "r": ready})
        if ready["k"] == "ok" and mode == "check":
            tests = dict(base)
            result = test_step(run_test_code(tests))
            if result["k"] == "ok" and entry:
                result = test_step(run_check(tests))
            box.emit({"e": "case", "i": 0, "r": result})
        elif ready["k"] == "ok" and mode == "asserts":
            for index, source in _enumerate(job["asserts"]):
                result = test_step(run_assert(source))
                box.emit({"e": "case", "i": index, "r": result})
                if result["k"] in stops:
                    break
        box.emit({"e": "done"})
    except BaseException as error:
        box.emit({"e": "fatal", "r": box.failure(error)})

