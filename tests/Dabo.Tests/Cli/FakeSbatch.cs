using Dabo.Cli.Slurm;

namespace Dabo.Tests.Cli;

/// <summary>
/// An <c>sbatch</c> for the Slurm tests: found only when <paramref name="installed"/>, it records every call and
/// answers the next of <paramref name="answers"/> (with none given: job ids 100, 101, …), or fails with
/// <see cref="Error"/>. <see cref="Around"/> makes it the launcher's runner for the length of one call.
/// </summary>
internal sealed class FakeSbatch(bool installed = true, params string[] answers) : IProcessRunner
{
    private const string Path = "/fake/bin/sbatch";

    /// <summary>The arguments of every call, in order.</summary>
    public List<string[]> Calls { get; } = [];

    /// <summary>When set, every call fails with this message on standard error.</summary>
    public string? Error { get; init; }

    public string? Find(string program) => installed && program == "sbatch" ? Path : null;

    public (int ExitCode, string Out, string Err) Run(string path, IReadOnlyList<string> arguments)
    {
        Assert.Equal(Path, path);
        Calls.Add([.. arguments]);
        if (Error is not null)
        {
            return (1, "", Error + "\n");
        }
        return (0, answers.Length > 0 ? answers[Calls.Count - 1] : $"{99 + Calls.Count}\n", "");
    }

    /// <summary>Runs <paramref name="action"/> with this fake as <see cref="SlurmLauncher.Runner"/>, then puts the previous runner back.</summary>
    public T Around<T>(Func<T> action)
    {
        var previous = SlurmLauncher.Runner;
        SlurmLauncher.Runner = this;
        try
        {
            return action();
        }
        finally
        {
            SlurmLauncher.Runner = previous;
        }
    }
}
