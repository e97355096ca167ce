"""multiprocessing.process — Process objects (fork start method), after CPython's
Lib/multiprocessing/process.py and popen_fork.py.

Invariants:
  * start() forks with os.fork (the runtime rebuilds its thread and lock state in the
    child, vm/fork.cpp); the child runs _bootstrap and leaves with os._exit(code), so
    no parent atexit handler or buffered output runs twice. Standard streams are
    flushed before fork for the same reason.
  * Each child has a sentinel: the read end of a pipe whose only write end lives in
    the child, so it becomes readable exactly when the child dies; join(timeout) waits
    on it with select (the lock released), then reaps with waitpid.
  * exitcode is None while running, the exit status after, -N after signal N.
"""
import os
import sys
import signal
import select
import itertools

from . import util

__all__ = ["BaseProcess", "Process", "current_process", "active_children",
           "parent_process"]

_children = set()
_counter = itertools.count(1)


def current_process():
    return _current_process


def parent_process():
    return _parent_process


def active_children():
    _cleanup()
    return list(_children)


def _cleanup():
    for p in list(_children):
        if p._popen_exitcode() is not None:
            _children.discard(p)


class BaseProcess:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs={},
                 *, daemon=None):
        assert group is None, "group argument must be None for now"
        count = next(_counter)
        self._identity = _current_process._identity + (count,)
        self._config = _current_process._config.copy()
        self._parent_pid = os.getpid()
        self._parent_name = _current_process.name
        self._pid = None
        self._returncode = None
        self._sentinel = None
        self._closed = False
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        self._name = name or type(self).__name__ + "-" + \
            ":".join(str(i) for i in self._identity)
        if daemon is not None:
            self.daemon = daemon

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    def run(self):
        if self._target:
            self._target(*self._args, **self._kwargs)

    def start(self):
        self._check_closed()
        assert self._pid is None, "cannot start a process twice"
        assert self._parent_pid == os.getpid(), \
            "can only start a process object created by current process"
        assert not _current_process._config.get("daemon"), \
            "daemonic processes are not allowed to have children"
        _cleanup()
        util._register_exit_function()
        util._flush_std_streams()
        parent_r, child_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(parent_r)
                code = self._bootstrap()
            finally:
                os._exit(code)
        os.close(child_w)
        self._pid = pid
        self._sentinel = parent_r
        _children.add(self)

    def _popen_exitcode(self, flag=os.WNOHANG):
        if self._returncode is None and self._pid is not None:
            try:
                pid, sts = os.waitpid(self._pid, flag)
            except ChildProcessError:
                return None
            if pid == self._pid:
                self._returncode = os.waitstatus_to_exitcode(sts)
                self._close_sentinel()
        return self._returncode

    def _close_sentinel(self):
        if self._sentinel is not None:
            try:
                os.close(self._sentinel)
            except OSError:
                pass
            self._sentinel = None

    def terminate(self):
        self._send_signal(signal.SIGTERM)

    def kill(self):
        self._send_signal(signal.SIGKILL)

    def _send_signal(self, sig):
        self._check_closed()
        if self._returncode is None and self._pid is not None:
            try:
                os.kill(self._pid, sig)
            except ProcessLookupError:
                pass

    def join(self, timeout=None):
        self._check_closed()
        assert self._parent_pid == os.getpid(), "can only join a child process"
        assert self._pid is not None, "can only join a started process"
        if self._returncode is None:
            if timeout is not None and self._sentinel is not None:
                r, _, _ = select.select([self._sentinel], [], [], max(timeout, 0))
                if not r:
                    return
                self._popen_exitcode(0)
            else:
                self._popen_exitcode(0)
        if self._returncode is not None:
            _children.discard(self)

    def is_alive(self):
        self._check_closed()
        if self is _current_process:
            return True
        assert self._parent_pid == os.getpid(), "can only test a child process"
        if self._pid is None:
            return False
        if self._popen_exitcode() is not None:
            _children.discard(self)
            return False
        return True

    def close(self):
        if self._pid is not None and self._returncode is None:
            if self._popen_exitcode() is None:
                raise ValueError("Cannot close a process while it is still running. "
                                 "You should first call join() or terminate().")
        self._close_sentinel()
        _children.discard(self)
        self._closed = True

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        assert isinstance(name, str), "name must be a string"
        self._name = name

    @property
    def daemon(self):
        return self._config.get("daemon", False)

    @daemon.setter
    def daemon(self, daemonic):
        assert self._pid is None, "process has already started"
        self._config["daemon"] = daemonic

    @property
    def authkey(self):
        return self._config.get("authkey", b"")

    @authkey.setter
    def authkey(self, authkey):
        self._config["authkey"] = authkey

    @property
    def exitcode(self):
        self._check_closed()
        if self._pid is None:
            return None
        return self._popen_exitcode()

    @property
    def ident(self):
        self._check_closed()
        if self is _current_process:
            return os.getpid()
        return self._pid

    pid = ident

    @property
    def sentinel(self):
        self._check_closed()
        if self._sentinel is None:
            raise ValueError("process not started")
        return self._sentinel

    def __repr__(self):
        exitcode = None
        if self is _current_process:
            status = "started"
        elif self._closed:
            status = "closed"
        elif self._parent_pid != os.getpid():
            status = "unknown"
        elif self._pid is None:
            status = "initial"
        else:
            exitcode = self._popen_exitcode()
            status = "started" if exitcode is None else "stopped"
        info = [type(self).__name__, "name=%r" % self._name]
        if self._pid is not None:
            info.append("pid=%s" % self._pid)
        info.append("parent=%s" % self._parent_pid)
        info.append(status)
        if exitcode is not None:
            info.append("exitcode=%s" % _exitcode_to_name.get(exitcode, exitcode))
        if self.daemon:
            info.append("daemon")
        return "<%s>" % " ".join(info)

    def _bootstrap(self):
        global _current_process, _parent_process, _children, _counter
        try:
            _children = set()
            _counter = itertools.count(1)
            _parent_process = _ParentProcess(self._parent_name, self._parent_pid)
            _current_process = self
            util._reset_after_fork()
            try:
                self.run()
                exitcode = 0
            finally:
                util._exit_function()
        except SystemExit as e:
            if e.code is None:
                exitcode = 0
            elif isinstance(e.code, int):
                exitcode = e.code
            else:
                sys.stderr.write(str(e.code) + "\n")
                exitcode = 1
        except BaseException as e:
            exitcode = 1
            sys.stderr.write("Process %s:\n" % self.name)
            sys.excepthook(type(e), e, e.__traceback__)
        finally:
            try:
                import threading
                threading._shutdown()
            except BaseException:
                pass
            util._flush_std_streams()
        return exitcode


class Process(BaseProcess):
    pass


class _MainProcess(BaseProcess):
    def __init__(self):
        self._identity = ()
        self._name = "MainProcess"
        self._parent_pid = None
        self._pid = None
        self._returncode = None
        self._sentinel = None
        self._closed = False
        self._config = {"authkey": os.urandom(32)}

    def close(self):
        pass


class _ParentProcess(BaseProcess):
    def __init__(self, name, pid):
        self._identity = ()
        self._name = name
        self._pid = pid
        self._parent_pid = None
        self._returncode = None
        self._sentinel = None
        self._closed = False
        self._config = {}

    def is_alive(self):
        try:
            os.kill(self._pid, 0)
        except OSError:
            return False
        return True

    @property
    def ident(self):
        return self._pid

    pid = ident


_current_process = _MainProcess()
_parent_process = None

_exitcode_to_name = {}
for _name, _signum in list(signal.__dict__.items()):
    if _name[:3] == "SIG" and "_" not in _name and isinstance(_signum, int):
        _exitcode_to_name[-int(_signum)] = f"-{_name}"
