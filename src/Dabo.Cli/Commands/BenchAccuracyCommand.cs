using System.ComponentModel;
using Dabo.Cli.Slurm;
using Dabo.Experiments.Benchmarks;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo bench accuracy</c>: the low-data accuracy benchmark (Fashion-MNIST 1k, CIFAR-10 4k).</summary>
public sealed class BenchAccuracyCommand : Command<BenchAccuracyCommand.Settings>
{
    /// <summary>Options of <c>dabo bench accuracy</c>.</summary>
    public sealed class Settings : BenchClusterSettings
    {
        /// <summary>Quick mode.</summary>
        [CommandOption("--quick")]
        [Description("One seed, fewer epochs, fewer CIFAR-10 methods: about a quarter of an hour on 2 cores.")]
        public bool Quick { get; init; }

        /// <summary>Protocols.</summary>
        [CommandOption("--protocols <LIST>")]
        [Description("Comma-separated subset of fashion-mnist,cifar10 (default both).")]
        public string? Protocols { get; init; }

        /// <summary>CIFAR-10 path.</summary>
        [CommandOption("--cifar10 <PATH>")]
        [Description("CIFAR-10 dataset: image folders or CIFAR binary, a directory or archive (default ../shared/data/cifar10-jpg.tar.gz from the repository root, the archive the integration tests read; when it is missing the cifar10 protocol is refused: pass --cifar10 PATH).")]
        public string Cifar10 { get; init; } = AccuracyProtocol.SharedCifar10;

        /// <summary>Seed count override.</summary>
        [CommandOption("--methods <LIST>")]
        [Description("Comma-separated subset of the protocols' methods (default all of them); a protocol without any of them is skipped.")]
        public string? Methods { get; init; }

        [CommandOption("--seeds <N>")]
        [Description("Seeds 0 … N−1 per method (default 3, quick 1); fewer seeds make the full protocols affordable on a small machine.")]
        public int? Seeds { get; init; }

        /// <summary>Output.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Output directory (default runs/bench-accuracy, or runs/bench-accuracy-quick).")]
        public string? Out { get; init; }

        /// <summary>Threads.</summary>
        [CommandOption("--threads <T>")]
        [Description("CPU threads (default: all cores).")]
        public override int? Threads { get; init; }
    }

    /// <summary>A relative path that does not exist from the working directory is tried from the repository root.</summary>
    public static string RepositoryPath(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dabo.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, path));
            }
        }
        return path;
    }

    /// <summary>
    /// The CIFAR-10 path to use (see <see cref="RepositoryPath"/>); a missing one is a one-line error
    /// naming <c>--cifar10</c>, not a failure deep inside the first run.
    /// </summary>
    public static string Cifar10Path(string given)
    {
        string path = RepositoryPath(given);
        if (File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }
        string which = given == AccuracyProtocol.SharedCifar10 ? "the default CIFAR-10 archive (the team's shared data) is not there" : "no such file or directory";
        throw new DaboException($"--cifar10 {given}: {which}; pass --cifar10 PATH with a CIFAR-10 dataset (image folders or CIFAR binary, directory or archive), or --protocols fashion-mnist");
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var protocols = AccuracyProtocol.Create(settings.Quick, RepositoryPath(settings.Cifar10));
        if (settings.Protocols is not null)
        {
            var wanted = settings.Protocols.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var w in wanted.Where(w => protocols.All(p => p.Name != w)))
            {
                throw new DaboException($"--protocols: unknown protocol '{w}'; use fashion-mnist and/or cifar10");
            }
            protocols = protocols.Where(p => wanted.Contains(p.Name)).ToList();
        }
        if (settings.Methods is not null)
        {
            var wanted = settings.Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var known = protocols.SelectMany(p => p.Methods).Distinct().ToList();
            foreach (var w in wanted.Where(w => !known.Contains(w)))
            {
                throw new DaboException($"--methods: '{w}' is not a method of the selected protocols; choose from {string.Join(", ", known)}");
            }
            Dabo.Methods.MethodSpec.RequireDistinct(wanted, "--methods");
            protocols = protocols.Select(p => p with { Methods = p.Methods.Where(wanted.Contains).ToList() }).Where(p => p.Methods.Count > 0).ToList();
        }
        if (protocols.Any(p => p.Name == "cifar10"))
        {
            string cifar10 = Cifar10Path(settings.Cifar10);
            protocols = protocols.Select(p => p.Name == "cifar10" ? p with { Config = p.Config with { Dataset = cifar10 } } : p).ToList();
        }
        if (settings.Seeds is int n)
        {
            var seeds = CompareCommand.Seeds(n);
            protocols = protocols.Select(p => p with { Seeds = seeds }).ToList();
        }
        string output = settings.Out ?? Path.Combine("runs", settings.Quick ? "bench-accuracy-quick" : "bench-accuracy");
        Dabo.IO.OutputPaths.CheckDirectory("--out", output);
        int jobs = settings.Jobs ?? 1;
        SlurmLauncher.Check(settings);
        if (settings.Slurm)
        {
            return SlurmLauncher.Submit(context.Arguments, settings, "bench accuracy", output, AccuracyBenchmark.Jobs(protocols, output).Count(j => !j.IsFinished), gpu: false, "accuracy.md");
        }
        using var cancel = new CancelOnCtrlC(cancellationToken);
        if (settings.Worker)
        {
            return CompareCommand.Worker(output, () => AccuracyBenchmark.RunWorker(protocols, output, new ConsoleObserver(settings.Quiet),
                settings.Quiet ? null : (p, m, s, r) => Console.WriteLine($"== {p}: {m}, seed {s}{(r ? " (resuming)" : "")}"), settings.Threads, null, cancel.Token));
        }
        using var workers = WorkerProcesses.Start(context.Arguments, jobs, settings.Threads, output, settings.Quiet);
        try
        {
            var all = AccuracyBenchmark.Run(protocols, output, CommandLine.Current(context.Arguments, "accuracy"), new ConsoleObserver(settings.Quiet),
                settings.Quiet ? null : (p, m, s, r) => Console.WriteLine($"== {p}: {m}, seed {s}{(r ? " (resuming)" : "")}"),
                WorkerProcesses.ThreadsPerJob(jobs, settings.Threads), null, cancel.Token, settings.Quiet ? null : WorkerProcesses.SayWaiting,
                (results, directory) => ReportWriter.Write(results, directory));
            workers.ReportFailures();
            foreach (var (protocol, results) in all)
            {
                Console.WriteLine(protocol.Name);
                CompareCommand.Show(results);
            }
            Console.WriteLine($"wrote {Path.Combine(output, "accuracy.md")} and a report.html per protocol");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dabo: interrupted; run the same command again to continue (finished runs are reused)");
            return 130;
        }
    }
}
