"""The process that runs the code under test (TinyLLM Python executor); see sandbox.py and main.py.

Job modes:

- ``run``: runs the code as ``__main__`` and reports ``{"e": "load", "r": ...}`` with the
  ``repr()`` of a final expression (like the REPL), then ``{"e": "done"}``.
- ``serve``: runs the code as module ``solution`` (then the suite's ``setup``, as the tests'
  imports may be what the code relies on), reports ``load``, sends the tests runner the list of
  its top-level names (``exports``), then answers its calls until the pipe from it ends. A call
  names a top-level name (or an object of an earlier answer) and carries plain arguments; the
  answer is the return value as plain data (``v``), an exception's type and message (``x``), or
  a failure that ends the test (``f``: timeout, memory, exit...).

This process decides nothing: a program that takes it over can only answer calls with plain
values of its choice, which it could have computed anyway. The verdict is reached in the tests
runner, a separate process this code never touches.
"""


def answer_server(box):
    job = box.job
    mode = job["mode"]
    if mode == "run":
        import _ast as ast

        _ONLY_AST = ast.PyCF_ONLY_AST
        _Expr, _Expression = ast.Expr, ast.Expression
    _type = type
    _len = len
    _str = str
    _repr = repr
    _compile = compile
    _exec = exec
    _eval = eval
    _callable = callable
    _isinstance = isinstance
    _int_repr = int.__repr__
    _list = list
    _range = range
    _max = max
    _Exception = Exception
    _MemoryError = MemoryError
    _SystemExit = SystemExit
    _type_name = type.__dict__["__name__"].__get__
    _type_module = type.__dict__["__module__"].__get__
    _type_mro = type.__dict__["__mro__"].__get__
    _type_flags = type.__dict__["__flags__"].__get__
    _HEAP_TYPE = 1 << 9
    _IMMUTABLE_TYPE = (1 << 8) if sys.version_info >= (3, 10) else 0
    _module_dict = type(sys).__dict__["__dict__"].__get__
    _ModuleType = type(sys)
    _monotonic = __import__("time").monotonic
    encode_value = box.encode_value
    encode_str = box.encode_str
    Refused = box.Refused
    TooLarge = box.TooLarge
    out_cap = job["out"]
    VALUE_CAP = 16 << 20
    EXPORT_VALUE_CAP = 1 << 20
    EXPORTS_CAP = 16 << 20

    harness_module = sys.modules["__main__"]  # keeps the harness's own module alive
    module = _ModuleType("__main__" if mode == "run" else "solution")
    namespace = module.__dict__
    namespace["__builtins__"] = __import__("builtins")
    sys.modules[module.__name__] = module

    # ---- loading ----
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

    def run_code():
        try:
            return load_code()
        except _SystemExit as error:
            # Like "python -c": ending with status 0 (or None) is a normal end of a plain run.
            if mode == "run" and (error.code is None or (_type(error.code) in (int, bool) and error.code == 0)):
                return {"k": "ok"}
            raise

    def drop_namespace():
        namespace.clear()
        return {"k": "ok"}

    def run_setup():
        _exec(_compile(job["setup"], "<test>", "exec"), namespace)
        return {"k": "ok"}

    # ---- objects that cannot cross stay here; the tests runner holds references to them ----
    held = []

    def sealed_truth(value):
        # Truth of these C types never runs Python code: a range, a re.Match.
        kind = _type(value)
        if kind is _range:
            return bool(value)
        flags = _type_flags(kind)
        sealed = not (flags & _HEAP_TYPE) or (flags & _IMMUTABLE_TYPE)
        if sealed and _type_name(kind) == "Match" and _type_module(kind) == "re":
            return bool(value)
        return None

    def hold(value, why):
        held.append(value)
        truth = sealed_truth(value)
        return '["r",' + _int_repr(_len(held) - 1) + "," + encode_str(why) + "," + ("null" if truth is None else "true" if truth else "false") + "]"

    def refuse(value):
        raise Refused("an object of type " + _type_name(_type(value)))

    def crossing(value, cap):
        """Tagged JSON of a value: plain data, or a reference when it is (or holds) anything else."""
        try:
            return encode_value(value, refuse, cap)
        except Refused as why:
            return hold(value, why.args[0])
        except TooLarge:
            size = "%d MB" % (cap >> 20) if cap >= 1 << 20 else "%d KB" % _max(cap >> 10, 1)
            return hold(value, "a value too large to pass to the tests (over " + size + " as data)")

    def exports():
        """The top-level names, for the tests runner: modules by name, callables, plain values, other objects as references."""
        parts = []
        room = [EXPORTS_CAP]
        for name, value in _list(namespace.items()):
            if _type(name) is not str or name.startswith("__"):
                continue
            if _type(value) is _ModuleType:
                if _module_dict(value).get("__name__") == name:
                    parts.append('["m",' + encode_str(name) + "]")
            elif _callable(value):
                parts.append('["f",' + encode_str(name) + "]")
            else:
                # Plain values are copied while there is room; past that they stay here as references.
                data = crossing(value, max(min(EXPORT_VALUE_CAP, room[0]), 1))
                room[0] -= _len(data)
                parts.append('["v",' + encode_str(name) + "," + data + "]")
        return '{"q":0,"e":[' + ",".join(parts) + "]}"

    # ---- calls ----
    def resolve(items):
        if _len(items) != 1 or _type(items[0]) is not int or not 0 <= items[0] < _len(held):
            raise ValueError("unknown reference")
        return held[items[0]]

    def builtin_base(kind):
        for base in _type_mro(kind):
            if _type_module(base) == "builtins" and issubclass(base, _Exception):
                return _type_name(base)
        return "Exception"

    budgets = {}

    def call(request):
        """Runs one call under its test's remaining CPU and wall-clock time; returns the reply without its sequence number."""
        step_id = request["s"]
        budget = budgets.get(step_id)
        if budget is None:
            budgets.clear()
            budget = budgets[step_id] = [box.step_seconds, _monotonic() + box.step_wall_seconds]
        wall_left = budget[1] - _monotonic()
        if budget[0] <= 0:
            return '{"f":{"k":"timeout"}}'
        if wall_left <= 0:
            return '{"f":{"k":"stall"}}'

        def work():
            target = request["f"]
            if _type(target) is str:
                if target not in namespace:
                    raise NameError("name '%s' is not defined" % target)
                function = namespace[target]
            else:
                function = resolve([target])
            args = box.decode_value(request["a"], resolve)
            kwargs = box.decode_value(request["k"], resolve)
            try:
                value = function(*args, **kwargs)
            except _Exception as error:
                if _isinstance(error, _MemoryError):
                    raise
                return '{"x":' + encode_info(error) + "}"
            return '{"v":' + crossing(value, VALUE_CAP) + "}"

        reply = box.step(work, budget[0], wall_left)
        left = box.timer_left[0]
        budget[0] = left if left > 0 else -1
        if _type(reply) is dict:
            # A failure that ends the test: timeout, memory, exit, an error of the harness itself.
            if reply.get("k") in ("timeout", "stall", "cpu", "memory"):
                budget[0] = -1
            return '{"f":' + encode_event(reply) + "}"
        return reply

    def encode_info(error):
        kind = _type(error)
        try:
            message = _str(error)
            message = _str.__str__(message)[:2000] if _isinstance(message, str) else ""
        except BaseException:
            message = ""
        info = {"t": builtin_base(kind), "d": box.describe(error), "m": message}
        box.located(info, error)
        return encode_event(info)

    def encode_event(value):
        if value is None:
            return "null"
        if _type(value) is int:
            return _int_repr(value)
        if _type(value) is str:
            return encode_str(value)
        return "{" + ",".join([encode_str(key) + ":" + encode_event(item) for key, item in _list(value.items())]) + "}"

    def serve():
        lines = box.peer
        decode_json = box.decode_json
        while True:
            line = lines.read()
            if line is None:
                return
            try:
                request = decode_json(line.decode("utf-8", "surrogatepass"))
                sequence = request["q"]
            except Exception:
                continue
            reply = call(request)
            box.send('{"q":' + _int_repr(sequence) + "," + reply[1:])

    # ---- the run ----
    box.emit({"e": "ready", "dropped": box.dropped, "stdlib": box.stdlib_access, "uid": os.getuid()})
    box.install_audit_hook()
    try:
        loaded = box.step(run_code)
        if loaded["k"] == "memory":
            # Let go of what the code built, so the report itself has memory to work with.
            box.step(drop_namespace)
        if loaded["k"] == "ok" and mode == "serve" and job.get("setup"):
            loaded = box.step(run_setup)
            if loaded["k"] != "ok":
                loaded.setdefault("at", "testCode")
        names = None
        if loaded["k"] == "ok" and mode == "serve":
            listed = box.step(lambda: {"k": "ok", "x": exports()})
            if listed["k"] == "ok":
                names = listed["x"]
            else:
                loaded = listed
        box.emit({"e": "load", "r": loaded})
        if names is not None:
            box.send(names)
            serve()
        else:
            box.emit({"e": "done"})
    except BaseException as error:
        box.emit({"e": "fatal", "r": box.failure(error)})

