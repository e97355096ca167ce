"""subprocess — start programs and talk to them through pipes, after CPython's
Lib/subprocess.py (POSIX half): run, call, check_call, check_output, Popen.

Invariants:
  * The child is made by _posixsubprocess.fork_exec (C++): no Python code runs between
    fork and exec, so starting a process is safe while other threads run.
  * Every blocking step (reading pipes, waitpid, the error pipe) goes through os.read,
    os.waitpid or selectors, which release the interpreter lock while they wait.
  * communicate() multiplexes stdin/stdout/stderr with a selector, so a child that
    fills one pipe while we write another never deadlocks; a timeout keeps what was
    read so far, and the next communicate() call continues from there.
  * Exceptions and their messages are CPython 3.11's (CalledProcessError's str,
    TimeoutExpired's str, FileNotFoundError with the program's name).
"""
import os
import sys
import time
import errno
import signal
import selectors
import _posixsubprocess

__all__ = ["Popen", "PIPE", "STDOUT", "call", "check_call", "getstatusoutput",
           "getoutput", "check_output", "run", "CalledProcessError", "DEVNULL",
           "SubprocessError", "TimeoutExpired", "CompletedProcess"]

PIPE = -1
STDOUT = -2
DEVNULL = -3

_PIPE_BUF = 512


class SubprocessError(Exception):
    pass


class CalledProcessError(SubprocessError):
    """Raised when run() is called with check=True and the process returns a
    non-zero exit status."""

    def __init__(self, returncode, cmd, output=None, stderr=None):
        self.returncode = returncode
        self.cmd = cmd
        self.output = output
        self.stderr = stderr

    def __str__(self):
        if self.returncode and self.returncode < 0:
            try:
                return "Command '%s' died with %r." % (
                    self.cmd, signal.Signals(-self.returncode))
            except ValueError:
                return "Command '%s' died with unknown signal %d." % (
                    self.cmd, -self.returncode)
        return "Command '%s' returned non-zero exit status %d." % (
            self.cmd, self.returncode)

    @property
    def stdout(self):
        return self.output

    @stdout.setter
    def stdout(self, value):
        self.output = value


class TimeoutExpired(SubprocessError):
    """Raised when the timeout expires while waiting for a child process."""

    def __init__(self, cmd, timeout, output=None, stderr=None):
        self.cmd = cmd
        self.timeout = timeout
        self.output = output
        self.stderr = stderr

    def __str__(self):
        return ("Command '%s' timed out after %s seconds" % (self.cmd, self.timeout))

    @property
    def stdout(self):
        return self.output

    @stdout.setter
    def stdout(self, value):
        self.output = value


class CompletedProcess:
    """What run() returns: args, returncode, stdout, stderr."""

    def __init__(self, args, returncode, stdout=None, stderr=None):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        args = ["args={!r}".format(self.args),
                "returncode={!r}".format(self.returncode)]
        if self.stdout is not None:
            args.append("stdout={!r}".format(self.stdout))
        if self.stderr is not None:
            args.append("stderr={!r}".format(self.stderr))
        return "{}({})".format(type(self).__name__, ", ".join(args))

    def check_returncode(self):
        if self.returncode:
            raise CalledProcessError(self.returncode, self.args, self.stdout,
                                     self.stderr)


def call(*popenargs, timeout=None, **kwargs):
    with Popen(*popenargs, **kwargs) as p:
        try:
            return p.wait(timeout=timeout)
        except:
            p.kill()
            raise


def check_call(*popenargs, **kwargs):
    retcode = call(*popenargs, **kwargs)
    if retcode:
        cmd = kwargs.get("args")
        if cmd is None:
            cmd = popenargs[0]
        raise CalledProcessError(retcode, cmd)
    return 0


def check_output(*popenargs, timeout=None, **kwargs):
    if "stdout" in kwargs:
        raise ValueError("stdout argument not allowed, it will be overridden.")
    if "input" in kwargs and kwargs["input"] is None:
        if kwargs.get("universal_newlines") or kwargs.get("text") or \
                kwargs.get("encoding") or kwargs.get("errors"):
            empty = ""
        else:
            empty = b""
        kwargs["input"] = empty
    return run(*popenargs, stdout=PIPE, timeout=timeout, check=True,
               **kwargs).stdout


def run(*popenargs, input=None, capture_output=False, timeout=None, check=False,
        **kwargs):
    if input is not None:
        if kwargs.get("stdin") is not None:
            raise ValueError("stdin and input arguments may not both be used.")
        kwargs["stdin"] = PIPE
    if capture_output:
        if kwargs.get("stdout") is not None or kwargs.get("stderr") is not None:
            raise ValueError("stdout and stderr arguments may not be used "
                             "with capture_output.")
        kwargs["stdout"] = PIPE
        kwargs["stderr"] = PIPE
    with Popen(*popenargs, **kwargs) as process:
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except TimeoutExpired as exc:
            process.kill()
            exc.stdout, exc.stderr = process.communicate()
            raise
        except:
            process.kill()
            raise
        retcode = process.poll()
        if check and retcode:
            raise CalledProcessError(retcode, process.args,
                                     output=stdout, stderr=stderr)
    return CompletedProcess(process.args, retcode, stdout, stderr)


def getstatusoutput(cmd, *, encoding=None, errors=None):
    try:
        data = check_output(cmd, shell=True, text=True, stderr=STDOUT,
                            encoding=encoding, errors=errors)
        exitcode = 0
    except CalledProcessError as ex:
        data = ex.output
        exitcode = ex.returncode
    if data[-1:] == "\n":
        data = data[:-1]
    return exitcode, data


def getoutput(cmd, *, encoding=None, errors=None):
    return getstatusoutput(cmd, encoding=encoding, errors=errors)[1]


def _translate_newlines(data, encoding, errors):
    data = data.decode(encoding, errors)
    return data.replace("\r\n", "\n").replace("\r", "\n")


def _flush_std_streams():
    for f in (sys.stdout, sys.stderr):
        try:
            if f is not None:
                f.flush()
        except (AttributeError, ValueError, OSError):
            pass


class Popen:
    """Execute a child program in a new process."""

    def __init__(self, args, bufsize=-1, executable=None, stdin=None, stdout=None,
                 stderr=None, preexec_fn=None, close_fds=True, shell=False,
                 cwd=None, env=None, universal_newlines=None, startupinfo=None,
                 creationflags=0, restore_signals=True, start_new_session=False,
                 pass_fds=(), *, user=None, group=None, extra_groups=None,
                 encoding=None, errors=None, text=None, umask=-1, pipesize=-1,
                 process_group=None):
        self._child_created = False
        self._communication_started = False
        self._input = None
        self._fileobj2output = None
        self.args = args
        self.stdin = None
        self.stdout = None
        self.stderr = None
        self.pid = None
        self.returncode = None
        self.encoding = encoding
        self.errors = errors
        if preexec_fn is not None:
            raise ValueError("preexec_fn is not supported by gilpy's subprocess")
        if text is not None and universal_newlines is not None and \
                bool(universal_newlines) != bool(text):
            raise SubprocessError("Cannot disambiguate when both text "
                                  "and universal_newlines are supplied but "
                                  "different. Pass one or the other.")
        self.text_mode = bool(encoding or errors or text or universal_newlines)
        if self.text_mode and encoding is None:
            self.encoding = "utf-8"
        if pass_fds and not close_fds:
            close_fds = True

        (p2cread, p2cwrite, c2pread, c2pwrite,
         errread, errwrite) = self._get_handles(stdin, stdout, stderr)
        try:
            if p2cwrite != -1:
                self.stdin = open(p2cwrite, "wb", buffering=bufsize)
                if self.text_mode:
                    self.stdin = _TextWriter(self.stdin, self.encoding,
                                             self.errors or "strict")
            if c2pread != -1:
                self.stdout = open(c2pread, "rb", buffering=bufsize)
                if self.text_mode:
                    self.stdout = _TextReader(self.stdout, self.encoding,
                                              self.errors or "strict")
            if errread != -1:
                self.stderr = open(errread, "rb", buffering=bufsize)
                if self.text_mode:
                    self.stderr = _TextReader(self.stderr, self.encoding,
                                              self.errors or "strict")
            self._execute_child(args, executable, close_fds, pass_fds, cwd, env,
                                shell, p2cread, p2cwrite, c2pread, c2pwrite,
                                errread, errwrite, start_new_session)
        except:
            for f in (self.stdin, self.stdout, self.stderr):
                if f is not None:
                    try:
                        f.close()
                    except OSError:
                        pass
            for fd in (p2cread, c2pwrite, errwrite):
                if fd not in (-1, None) and fd not in self._devnull_fds():
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            if hasattr(self, "_devnull"):
                os.close(self._devnull)
            raise

    def _devnull_fds(self):
        return (self._devnull,) if hasattr(self, "_devnull") else ()

    def __repr__(self):
        obj_repr = "<%s: returncode: %s args: %r>" % (
            self.__class__.__name__, self.returncode, self.args)
        if len(obj_repr) > 80:
            obj_repr = obj_repr[:76] + "...>"
        return obj_repr

    @property
    def universal_newlines(self):
        return self.text_mode

    def __enter__(self):
        return self

    def __exit__(self, exc_type, value, traceback):
        if self.stdout:
            self.stdout.close()
        if self.stderr:
            self.stderr.close()
        try:
            if self.stdin:
                self.stdin.close()
        finally:
            if exc_type == KeyboardInterrupt:
                if self._sigint_wait_secs > 0:
                    try:
                        self._wait(timeout=self._sigint_wait_secs)
                    except TimeoutExpired:
                        pass
                self._sigint_wait_secs = 0
                return
            self.wait()

    _sigint_wait_secs = 0.25

    def _get_devnull(self):
        if not hasattr(self, "_devnull"):
            self._devnull = os.open(os.devnull, os.O_RDWR)
        return self._devnull

    def _get_handles(self, stdin, stdout, stderr):
        p2cread, p2cwrite = -1, -1
        c2pread, c2pwrite = -1, -1
        errread, errwrite = -1, -1
        if stdin is None:
            pass
        elif stdin == PIPE:
            p2cread, p2cwrite = os.pipe()
        elif stdin == DEVNULL:
            p2cread = self._get_devnull()
        elif isinstance(stdin, int):
            p2cread = stdin
        else:
            p2cread = stdin.fileno()
        if stdout is None:
            pass
        elif stdout == PIPE:
            c2pread, c2pwrite = os.pipe()
        elif stdout == DEVNULL:
            c2pwrite = self._get_devnull()
        elif isinstance(stdout, int):
            c2pwrite = stdout
        else:
            c2pwrite = stdout.fileno()
        if stderr is None:
            pass
        elif stderr == PIPE:
            errread, errwrite = os.pipe()
        elif stderr == STDOUT:
            if c2pwrite != -1:
                errwrite = c2pwrite
            else:
                errwrite = sys.__stdout__.fileno() if hasattr(sys, "__stdout__") else 1
        elif stderr == DEVNULL:
            errwrite = self._get_devnull()
        elif isinstance(stderr, int):
            errwrite = stderr
        else:
            errwrite = stderr.fileno()
        self._closed_child_pipe_fds = False
        self._owned = (stdin == PIPE, stdout == PIPE, stderr == PIPE)
        return (p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite)

    def _execute_child(self, args, executable, close_fds, pass_fds, cwd, env, shell,
                       p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite,
                       start_new_session):
        if isinstance(args, (str, bytes)):
            args = [args]
        elif isinstance(args, os.PathLike):
            if shell:
                raise TypeError("path-like args is not allowed when shell is true")
            args = [args]
        else:
            args = list(args)
        if shell:
            unix_shell = "/bin/sh"
            args = [unix_shell, "-c"] + args
            if executable:
                args[0] = executable
        if executable is None:
            executable = args[0]
        orig_executable = executable

        if os.path.dirname(executable):
            executable_list = (executable,)
        else:
            executable_list = tuple(
                os.path.join(os.fsencode(d), os.fsencode(executable))
                for d in os.get_exec_path(env))
        if env is not None:
            env_list = []
            for k, v in env.items():
                k = os.fsencode(k)
                if b"=" in k:
                    raise ValueError("illegal environment variable name")
                env_list.append(k + b"=" + os.fsencode(v))
        else:
            env_list = None

        errpipe_read, errpipe_write = os.pipe()
        _flush_std_streams()
        try:
            try:
                self.pid = _posixsubprocess.fork_exec(
                    args, executable_list, cwd, env_list, p2cread, c2pwrite,
                    errwrite, errpipe_write, close_fds, tuple(sorted(map(int, pass_fds))),
                    start_new_session)
                self._child_created = True
            finally:
                os.close(errpipe_write)
            self._close_pipe_fds(p2cread, p2cwrite, c2pread, c2pwrite,
                                 errread, errwrite)
            part = os.read(errpipe_read, 50000)
            errpipe_data = part
            while part and len(errpipe_data) <= 50000:
                part = os.read(errpipe_read, 50000)
                errpipe_data += part
        finally:
            os.close(errpipe_read)

        if errpipe_data:
            try:
                pid, sts = os.waitpid(self.pid, 0)
                if pid == self.pid:
                    self._handle_exitstatus(sts)
                else:
                    self.returncode = sys.maxsize
            except ChildProcessError:
                pass
            try:
                exception_name, hex_errno, err_msg = errpipe_data.split(b":", 2)
                err_msg = err_msg.decode()
            except ValueError:
                exception_name = b"SubprocessError"
                hex_errno = b"0"
                err_msg = "Bad exception data from child: {!r}".format(errpipe_data)
            if exception_name == b"OSError" and hex_errno:
                errno_num = int(hex_errno, 16)
                if err_msg == "noexec:chdir":
                    err_filename = cwd
                elif err_msg == "noexec":
                    err_filename = None
                else:
                    err_filename = orig_executable
                if errno_num != 0:
                    err_msg = os.strerror(errno_num)
                if err_filename is not None:
                    raise OSError(errno_num, err_msg, err_filename)
                raise OSError(errno_num, err_msg)
            raise SubprocessError(err_msg)

    def _close_pipe_fds(self, p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite):
        # The child's ends belong to the child now (or to the caller, for fds it gave).
        devnull = self._devnull_fds()
        if self._owned[0] and p2cread != -1:
            os.close(p2cread)
        if self._owned[1] and c2pwrite != -1:
            os.close(c2pwrite)
        if self._owned[2] and errwrite != -1:
            os.close(errwrite)
        if devnull:
            os.close(self._devnull)
            del self._devnull
        self._closed_child_pipe_fds = True

    def _handle_exitstatus(self, sts):
        if os.WIFSTOPPED(sts):
            self.returncode = -os.WSTOPSIG(sts)
        else:
            self.returncode = os.waitstatus_to_exitcode(sts)

    def poll(self):
        return self._internal_poll()

    def _internal_poll(self):
        if self.returncode is None:
            try:
                pid, sts = os.waitpid(self.pid, os.WNOHANG)
                if pid == self.pid:
                    self._handle_exitstatus(sts)
            except ChildProcessError:
                self.returncode = 0
        return self.returncode

    def _remaining_time(self, endtime):
        if endtime is None:
            return None
        return endtime - time.monotonic()

    def _check_timeout(self, endtime, orig_timeout, stdout_seq, stderr_seq,
                       skip_check_and_raise=False):
        if endtime is None:
            return
        if skip_check_and_raise or time.monotonic() > endtime:
            raise TimeoutExpired(self.args, orig_timeout,
                                 output=b"".join(stdout_seq) if stdout_seq else None,
                                 stderr=b"".join(stderr_seq) if stderr_seq else None)

    def wait(self, timeout=None):
        if timeout is not None:
            endtime = time.monotonic() + timeout
        try:
            return self._wait(timeout=timeout)
        except KeyboardInterrupt:
            if timeout is not None:
                sigint_timeout = min(self._sigint_wait_secs,
                                     self._remaining_time(endtime))
            else:
                sigint_timeout = self._sigint_wait_secs
            self._sigint_wait_secs = 0
            try:
                self._wait(timeout=sigint_timeout)
            except TimeoutExpired:
                pass
            raise

    def _wait(self, timeout):
        if self.returncode is not None:
            return self.returncode
        if timeout is not None:
            endtime = time.monotonic() + timeout
            # No waitpid with a timeout: poll with growing sleeps, as CPython does.
            delay = 0.0005
            while True:
                pid, sts = self._try_wait(os.WNOHANG)
                if pid == self.pid:
                    self._handle_exitstatus(sts)
                    break
                remaining = self._remaining_time(endtime)
                if remaining <= 0:
                    raise TimeoutExpired(self.args, timeout)
                delay = min(delay * 2, remaining, .05)
                time.sleep(delay)
        else:
            while self.returncode is None:
                pid, sts = self._try_wait(0)
                if pid == self.pid:
                    self._handle_exitstatus(sts)
        return self.returncode

    def _try_wait(self, wait_flags):
        try:
            (pid, sts) = os.waitpid(self.pid, wait_flags)
        except ChildProcessError:
            pid = self.pid
            sts = 0
        return (pid, sts)

    def communicate(self, input=None, timeout=None):
        if self._communication_started and input:
            raise ValueError("Cannot send input after starting communication")
        if (timeout is None and not self._communication_started and
                [self.stdin, self.stdout, self.stderr].count(None) >= 2):
            stdout = None
            stderr = None
            if self.stdin:
                self._stdin_write(input)
            elif self.stdout:
                stdout = self.stdout.read()
                self.stdout.close()
            elif self.stderr:
                stderr = self.stderr.read()
                self.stderr.close()
            self.wait()
            return (stdout, stderr)
        if timeout is not None:
            endtime = time.monotonic() + timeout
        else:
            endtime = None
        try:
            stdout, stderr = self._communicate(input, endtime, timeout)
        except KeyboardInterrupt:
            if timeout is not None:
                sigint_timeout = min(self._sigint_wait_secs,
                                     self._remaining_time(endtime))
            else:
                sigint_timeout = self._sigint_wait_secs
            self._sigint_wait_secs = 0
            try:
                self._wait(timeout=sigint_timeout)
            except TimeoutExpired:
                pass
            raise
        finally:
            self._communication_started = True
        sts = self.wait(timeout=self._remaining_time(endtime))
        return (stdout, stderr)

    def _stdin_write(self, input):
        if input:
            try:
                self.stdin.write(input)
            except BrokenPipeError:
                pass
            except OSError as exc:
                if exc.errno != errno.EINVAL:
                    raise
        try:
            self.stdin.close()
        except BrokenPipeError:
            pass
        except OSError as exc:
            if exc.errno != errno.EINVAL:
                raise

    def _communicate(self, input, endtime, orig_timeout):
        if self.stdin and not self._communication_started:
            try:
                self.stdin.flush()
            except BrokenPipeError:
                pass
            if not input:
                try:
                    self.stdin.close()
                except BrokenPipeError:
                    pass
        stdout = None
        stderr = None
        if not self._communication_started:
            self._fileobj2output = {}
            if self.stdout:
                self._fileobj2output[self.stdout] = []
            if self.stderr:
                self._fileobj2output[self.stderr] = []
        if self.stdout:
            stdout = self._fileobj2output[self.stdout]
        if self.stderr:
            stderr = self._fileobj2output[self.stderr]
        self._save_input(input)
        if self._input:
            input_view = self._input
        with selectors.PollSelector() as selector:
            if self.stdin and input and not self.stdin.closed:
                selector.register(self.stdin, selectors.EVENT_WRITE)
            if self.stdout and not self.stdout.closed:
                selector.register(self.stdout, selectors.EVENT_READ)
            if self.stderr and not self.stderr.closed:
                selector.register(self.stderr, selectors.EVENT_READ)
            while selector.get_map():
                timeout = self._remaining_time(endtime)
                if timeout is not None and timeout < 0:
                    self._check_timeout(endtime, orig_timeout, stdout, stderr,
                                        skip_check_and_raise=True)
                    raise RuntimeError("_check_timeout(..., skip_check_and_raise=True) "
                                       "failed to raise TimeoutExpired.")
                ready = selector.select(timeout)
                self._check_timeout(endtime, orig_timeout, stdout, stderr)
                for key, events in ready:
                    if key.fileobj is self.stdin:
                        chunk = input_view[self._input_offset:
                                           self._input_offset + _PIPE_BUF]
                        try:
                            self._input_offset += os.write(key.fd, chunk)
                        except BrokenPipeError:
                            selector.unregister(key.fileobj)
                            key.fileobj.close()
                        else:
                            if self._input_offset >= len(self._input):
                                selector.unregister(key.fileobj)
                                key.fileobj.close()
                    elif key.fileobj in (self.stdout, self.stderr):
                        data = os.read(key.fd, 32768)
                        if not data:
                            selector.unregister(key.fileobj)
                            key.fileobj.close()
                        self._fileobj2output[key.fileobj].append(data)
        self.wait(timeout=self._remaining_time(endtime))
        if stdout is not None:
            stdout = b"".join(stdout)
        if stderr is not None:
            stderr = b"".join(stderr)
        if self.text_mode:
            if stdout is not None:
                stdout = _translate_newlines(stdout, self.encoding, self.errors or "strict")
            if stderr is not None:
                stderr = _translate_newlines(stderr, self.encoding, self.errors or "strict")
        return (stdout, stderr)

    def _save_input(self, input):
        if self.stdin and self._input is None:
            self._input_offset = 0
            self._input = input
            if input is not None and self.text_mode:
                self._input = self._input.encode(self.encoding, self.errors or "strict")

    def send_signal(self, sig):
        self.poll()
        if self.returncode is not None:
            return
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


class _TextReader:
    """Text view of a binary pipe: decodes UTF-8 (or the given encoding) with
    universal newlines, as TextIOWrapper does for Popen(text=True)."""

    def __init__(self, raw, encoding, errors):
        self.buffer = raw
        self.encoding = encoding
        self.errors = errors

    def fileno(self):
        return self.buffer.fileno()

    @property
    def closed(self):
        return self.buffer.closed

    def close(self):
        self.buffer.close()

    def read(self, n=-1):
        return _translate_newlines(self.buffer.read(), self.encoding, self.errors)

    def readline(self):
        line = b""
        while True:
            c = self.buffer.read(1)
            if not c:
                break
            line += c
            if c == b"\n":
                break
        return _translate_newlines(line, self.encoding, self.errors)

    def readlines(self):
        return list(self)

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


class _TextWriter:
    """Text view of a binary pipe for Popen(text=True).stdin."""

    def __init__(self, raw, encoding, errors):
        self.buffer = raw
        self.encoding = encoding
        self.errors = errors

    def fileno(self):
        return self.buffer.fileno()

    @property
    def closed(self):
        return self.buffer.closed

    def write(self, s):
        self.buffer.write(s.encode(self.encoding, self.errors))
        return len(s)

    def flush(self):
        self.buffer.flush()

    def close(self):
        self.buffer.close()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()
