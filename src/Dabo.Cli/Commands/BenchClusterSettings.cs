using System.ComponentModel;
using Dabo.Cli.Slurm;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary>Flags shared by the benchmarks that train many runs (bench accuracy, bench suite): parallel jobs, Slurm, workers, quiet.</summary>
public abstract class BenchClusterSettings : CommandSettings, IClusterSettings
{
    /// <summary>Parallel jobs.</summary>
    [CommandOption("-j|--jobs <N>")]
    [Description(WorkerProcesses.JobsDescription)]
    public int? Jobs { get; init; }

    /// <summary>CPU threads (each command says how it shares the cores among its jobs).</summary>
    public abstract int? Threads { get; init; }

    /// <summary>Quiet.</summary>
    [CommandOption("-q|--quiet")]
    [Description("Print only the tables.")]
    public bool Quiet { get; init; }

    /// <summary>Submit to Slurm.</summary>
    [CommandOption("--slurm")]
    [Description(SlurmLauncher.SlurmDescription)]
    public bool Slurm { get; init; }

    /// <summary>Array size.</summary>
    [CommandOption("--slurm-tasks <N>")]
    [Description(SlurmLauncher.TasksDescription)]
    public int? SlurmTasks { get; init; }

    /// <summary>CPUs per task.</summary>
    [CommandOption("--slurm-cpus <N>")]
    [Description(SlurmLauncher.CpusDescription)]
    public int? SlurmCpus { get; init; }

    /// <summary>sbatch options.</summary>
    [CommandOption("--slurm-args <ARGS>")]
    [Description(SlurmLauncher.ArgsDescription)]
    public string? SlurmArgs { get; init; }

    /// <summary>Print the scripts only.</summary>
    [CommandOption("--dry-run")]
    [Description(SlurmLauncher.DryRunDescription)]
    public bool DryRun { get; init; }

    /// <summary>Worker mode.</summary>
    [CommandOption("--worker")]
    [Description(SlurmLauncher.WorkerDescription)]
    public bool Worker { get; init; }
}
