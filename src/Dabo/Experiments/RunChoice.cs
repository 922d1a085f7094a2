using Dabo.Methods;
using Dabo.Training.Runs;

namespace Dabo.Experiments;

/// <summary>What a choosing method's run (<c>auto</c>) chose and on what grounds, as one line for people.</summary>
public static class RunChoice
{
    /// <summary>The line of <see cref="AutoSelection.Describe"/> for the run in <paramref name="runDirectory"/>, or null when it made no choice.</summary>
    /// <param name="runDirectory">A run directory.</param>
    /// <param name="method">The run's method as the user wrote it (<c>auto</c> or its control, <c>auto-shuffled</c>).</param>
    public static string? Describe(string runDirectory, string method) =>
        AutoSelection.TryRead(new RunDirectory(runDirectory)) is { } selection
            ? selection.Describe(method, MethodSpec.Parse(method, allowGrid: true).IsControl)
            : null;
}
