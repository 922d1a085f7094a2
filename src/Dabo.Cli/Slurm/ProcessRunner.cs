using System.Diagnostics;

namespace Dabo.Cli.Slurm;

/// <summary>Finds and runs external programs (sbatch); tests replace it with a fake.</summary>
public interface IProcessRunner
{
    /// <summary>The full path of <paramref name="program"/> on <c>PATH</c>, or null when it is not installed.</summary>
    string? Find(string program);

    /// <summary>Runs <paramref name="path"/> with <paramref name="arguments"/> to its end and returns its exit code and output.</summary>
    (int ExitCode, string Out, string Err) Run(string path, IReadOnlyList<string> arguments);
}

/// <summary>The real process runner.</summary>
public sealed class SystemProcessRunner : IProcessRunner
{
    /// <inheritdoc />
    public string? Find(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <inheritdoc />
    public (int ExitCode, string Out, string Err) Run(string path, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new DaboException($"--slurm: could not start {path}");
        var err = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, err.GetAwaiter().GetResult());
    }
}
