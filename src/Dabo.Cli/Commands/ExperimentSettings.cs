using System.ComponentModel;
using Dabo.Cli.Slurm;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary>Flags of the commands that train many runs (compare, grid-search): parallel jobs, Slurm, workers.</summary>
public class ExperimentSettings : RunSettings, IClusterSettings
{
    /// <summary>Parallel jobs.</summary>
    [CommandOption("-j|--jobs <N>")]
    [Description(WorkerProcesses.JobsDescription)]
    public int? Jobs { get; init; }

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
