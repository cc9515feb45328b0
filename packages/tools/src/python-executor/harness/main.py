"""Entry point of the TinyLLM Python harness; follows sandbox.py, answer_server.py and tests_runner.py.

``python -I -S -B -X utf8 -c <bootstrap> run``: one process, the answer server, runs a program.
Its job comes on stdin, its result lines go to stdout.

``... tests``: a test run. The process drops its privileges, opens a pipe each way and forks
before reading anything of either job, so neither process ever holds the other's job:

- the child is the answer server: its job (the code) comes on fd 3, its result lines go to
  fd 4, calls come from the tests runner's pipe and replies go back on the other;
- the parent is the tests runner: its job (the tests) comes on stdin, its result lines, with
  the verdict, go to stdout, which the child closed (it cannot reach them: after the drop both
  processes are non-dumpable, so not even /proc leads there).

When the tests runner ends, the host kills the process group, the answer server with it.
"""


def main():
    role = sys.argv[1] if len(sys.argv) > 1 else "run"
    privileges = drop_privileges()
    if role != "tests":
        answer_server(sandbox("answer", privileges, 0, 1))
        return
    calls_in, calls_out = os.pipe()
    replies_in, replies_out = os.pipe()
    pid = os.fork()
    if pid == 0:
        # The answer server: nothing of the tests runner's but this code stays open here.
        os.close(calls_out)
        os.close(replies_in)
        run_role(lambda: answer_server(sandbox("answer", privileges, 3, 4, calls_in, replies_out)))
    os.close(3)
    os.close(4)
    os.close(calls_in)
    os.close(replies_out)
    tests_runner(sandbox("tests", privileges, 0, 1, replies_in, calls_out), pid)


run_role(main)
