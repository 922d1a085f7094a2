using System.Diagnostics;

namespace Dabo.Cli;

/// <summary>
/// <c>--jobs N</c>: starts N − 1 copies of the current command as background processes that share
/// its runs (each run is claimed before it trains, see <c>RunQueue</c>), so that N runs train at once.
/// Each copy gets <c>--jobs 1</c>, its share of the cores and a log file. Separate processes
/// rather than threads because a run seeds libtorch's process-wide generator.
/// </summary>
public sealed class WorkerProcesses : IDisposable
{
    private readonly List<(Process Process, string Log, StreamWriter Writer)> _workers = [];

    private WorkerProcesses()
    {
    }

    /// <summary>Help text of <c>--jobs</c>.</summary>
    public const string JobsDescription = "Train N runs at once, in N processes that share the runs and the cores (default 1). On a small machine, 2 jobs of 1 thread each finish a comparison of small models sooner than 1 job of 2 threads.";

    /// <summary>Threads per process: the user's <c>--threads</c>, else the cores divided among the jobs.</summary>
    public static int? ThreadsPerJob(int jobs, int? threads) =>
        threads ?? (jobs > 1 ? Math.Max(1, Environment.ProcessorCount / jobs) : null);

    /// <summary>
    /// Starts the workers of <c>--jobs</c> on the command's <paramref name="arguments"/> (logs in
    /// <c>OUTPUT/workers</c>) and, unless quiet, says so.
    /// </summary>
    public static WorkerProcesses Start(IReadOnlyList<string> arguments, int jobs, int? threads, string output, bool quiet)
    {
        string logDirectory = Path.Combine(output, "workers");
        var workers = StartProcesses(arguments, jobs, threads, logDirectory);
        if (workers.Logs.Count > 0 && !quiet)
        {
            Console.WriteLine($"{jobs} jobs of {ThreadsPerJob(jobs, threads)} thread(s): this process and {workers.Logs.Count} worker(s) logging to {logDirectory}");
        }
        return workers;
    }

    /// <summary>Says that the remaining runs are being trained by other processes.</summary>
    public static void SayWaiting(int runs) => Console.WriteLine($"waiting for {runs} run(s) that other processes are training");

    /// <summary>Waits for the workers and reports any that failed (this process has finished their runs anyway).</summary>
    public void ReportFailures()
    {
        foreach (var failed in WaitForAll())
        {
            Console.Error.WriteLine($"dabo: a worker process failed; its runs were finished by this one; see {failed}");
        }
    }

    // Starts jobs − 1 workers, logging to LOGDIR/worker-K.log.
    private static WorkerProcesses StartProcesses(IReadOnlyList<string> commandArguments, int jobs, int? threads, string logDirectory)
    {
        if (jobs < 1)
        {
            throw new DaboException($"--jobs {jobs}: must be at least 1");
        }
        var workers = new WorkerProcesses();
        if (jobs == 1)
        {
            return workers;
        }
        Directory.CreateDirectory(logDirectory);
        var arguments = WorkerArguments(commandArguments, ThreadsPerJob(jobs, threads));
        try
        {
            for (int k = 1; k < jobs; k++)
            {
                string log = Path.Combine(logDirectory, $"worker-{k}.log");
                var host = HostCommand();
                var start = new ProcessStartInfo(host[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add(host[1]);
                foreach (var a in arguments)
                {
                    start.ArgumentList.Add(a);
                }
                var process = Process.Start(start) ?? throw new DaboException($"--jobs: could not start a worker process ({start.FileName})");
                var writer = new StreamWriter(log, append: false) { AutoFlush = true };
                process.OutputDataReceived += (_, e) => Write(writer, e.Data);
                process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                workers._workers.Add((process, log, writer));
            }
        }
        catch
        {
            workers.Dispose();
            throw;
        }
        return workers;
    }

    /// <summary>The worker's command line: the user's, with <c>--jobs 1</c> and the thread count.</summary>
    public static List<string> WorkerArguments(IReadOnlyList<string> arguments, int? threads)
    {
        var result = Without(arguments, ["--jobs", "-j", "--threads"], []);
        result.AddRange(["--jobs", "1"]);
        if (threads is int t)
        {
            result.AddRange(["--threads", t.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        return result;
    }

    /// <summary>
    /// <paramref name="arguments"/> without the options <paramref name="valued"/> (with their values, given as
    /// <c>--name value</c> or <c>--name=value</c>) and the switches <paramref name="switches"/>.
    /// </summary>
    public static List<string> Without(IReadOnlyList<string> arguments, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> switches)
    {
        var result = new List<string>();
        for (int i = 0; i < arguments.Count; i++)
        {
            string a = arguments[i];
            if (valued.Contains(a))
            {
                i++; // drop the value too
                continue;
            }
            if (switches.Contains(a) || valued.Any(v => a.StartsWith(v + "=", StringComparison.Ordinal)))
            {
                continue;
            }
            result.Add(a);
        }
        return result;
    }

    /// <summary>The program and first argument that run this command line again: the dotnet host and <c>Dabo.Cli.dll</c>, full paths.</summary>
    public static IReadOnlyList<string> HostCommand() =>
        [DotnetHost() is var host && !Path.IsPathRooted(host) ? new Slurm.SystemProcessRunner().Find(host) ?? host : host, typeof(WorkerProcesses).Assembly.Location];

    /// <summary>Started workers and their log files.</summary>
    public IReadOnlyList<string> Logs => [.. _workers.Select(w => w.Log)];

    /// <summary>Waits for every worker; returns the logs of those that failed.</summary>
    public IReadOnlyList<string> WaitForAll()
    {
        var failed = new List<string>();
        foreach (var (process, log, writer) in _workers)
        {
            process.WaitForExit(); // also waits until its output has been copied to the log
            lock (writer)
            {
                writer.Flush();
            }
            if (process.ExitCode != 0)
            {
                failed.Add($"{log} (exit code {process.ExitCode})");
            }
        }
        return failed;
    }

    /// <summary>Stops workers still running (their runs resume from the last epoch's checkpoint).</summary>
    public void Dispose()
    {
        foreach (var (process, _, writer) in _workers)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            process.Dispose();
            lock (writer)
            {
                writer.Dispose();
            }
        }
        _workers.Clear();
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the process has exited
            }
        }
    }

    private static string DotnetHost()
    {
        // The CLI runs as `dotnet Dabo.Cli.dll`; the host that runs this process runs the workers.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (host is not null && File.Exists(host))
        {
            return host;
        }
        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
