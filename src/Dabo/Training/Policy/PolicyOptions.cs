using Dabo.Augmentation.Operations;

namespace Dabo.Training.Policy;

/// <summary>
/// The options of a learned policy: each declared once here with its default, its accepted range
/// (<see cref="Numeric"/>) and its help text, read by the command line, the config file and the step.
/// </summary>
public sealed record PolicyOptions
{
    /// <summary>The defaults.</summary>
    public static PolicyOptions Default { get; } = new();

    /// <summary>Help of <c>--policy-lr</c>.</summary>
    public const string LrHelp = "Learned policy: Adam learning rate of the policy's logits (default 0.05).";

    /// <summary>Help of <c>--policy-kl</c>.</summary>
    public const string KlHelp = "Learned policy: weight β of the KL penalty towards the uniform prior (default 0.05); large values keep the prior.";

    /// <summary>Help of <c>--policy-update-every</c>.</summary>
    public const string UpdateEveryHelp = "Learned policy: refresh the validation gradient and update the policy every N steps; it only samples in between (default 8).";

    /// <summary>Help of <c>--policy-samples</c>.</summary>
    public const string SamplesHelp = "Learned policy: augmented draws of each training image rewarded at an update; each draw's baseline is the mean of the others (default 4).";

    /// <summary>Help of <c>--policy-val-images</c>.</summary>
    public const string ValImagesHelp = "Learned policy: validation images behind each validation gradient (default 128).";

    /// <summary>Help of <c>--policy-ops</c>.</summary>
    public const string OperationsHelp = "Learned policy: the operations to choose from, comma-separated (default TrivialAugment-Wide's 14, 13 on grayscale data); also flip, crop, cutout, invert, scale, hue.";

    /// <summary>Help of <c>--policy-control</c>.</summary>
    public const string ControlHelp = "Learned policy: none (default), or shuffle to permute the advantages within each batch, the control that destroys the learning signal.";

    /// <summary>Adam learning rate of the policy's logits.</summary>
    public double Lr { get; init; } = 0.05;

    /// <summary>Weight β of the KL penalty towards the uniform prior.</summary>
    public double Kl { get; init; } = 0.05;

    /// <summary>Refresh the validation gradient and update the policy every this many steps (it only samples in between).</summary>
    public int UpdateEvery { get; init; } = 8;

    /// <summary>Augmented draws per training image at an update (their mean is each draw's baseline).</summary>
    public int Samples { get; init; } = 4;

    /// <summary>Validation images behind each validation gradient (capped at the split they come from).</summary>
    public int ValImages { get; init; } = 128;

    /// <summary>The operations it chooses from, comma-separated names of the table of operations; empty for TrivialAugment-Wide's set.</summary>
    public string Operations { get; init; } = "";

    /// <summary><c>none</c>, or <c>shuffle</c> to permute the advantages within each batch (the control that destroys the signal).</summary>
    public PolicyControl Control { get; init; } = PolicyControl.None;

    /// <summary>Every flag of a learned policy: given without a learned-policy method, they are refused.</summary>
    public static IReadOnlyList<string> Flags { get; } = ["--policy-lr", "--policy-kl", "--policy-update-every", "--policy-samples", "--policy-val-images", "--policy-ops", "--policy-control"];

    /// <summary>The numeric options: flag, accepted range and how each is read.</summary>
    public static IReadOnlyList<OptionRange<PolicyOptions>> Numeric { get; } =
    [
        new(new("--policy-lr", 0, NumericRange.MaxLearningRate, Hint: "e.g. 0.05"), o => o.Lr),
        new(new("--policy-kl", 0, 1e6, Hint: "e.g. 0.05"), o => o.Kl),
        new(NumericRange.Whole("--policy-update-every", 1, 1_000_000, "e.g. 2"), o => o.UpdateEvery),
        new(NumericRange.Whole("--policy-samples", 1, 64, "e.g. 4"), o => o.Samples),
        new(NumericRange.Whole("--policy-val-images", 1, 100_000, "e.g. 128"), o => o.ValImages),
    ];

    /// <summary>The operations of <see cref="Operations"/>, or null for the default set.</summary>
    public IReadOnlyList<Operation>? OperationList =>
        Operations.Length == 0 ? null : [.. Operations.Split(',', StringSplitOptions.TrimEntries).Select(OperationTable.Get)];

    /// <summary>Checks every option (ranges, operation names, the control); names the flag.</summary>
    public void Check()
    {
        OptionRange<PolicyOptions>.CheckAll(Numeric, this);
        OptionNames.CheckDefined(Control, "--policy-control");
        if (Operations.Length > 0)
        {
            var names = Operations.Split(',', StringSplitOptions.TrimEntries);
            foreach (var name in names)
            {
                if (!OperationTable.All.Any(o => o.Name == name))
                {
                    throw new DaboException($"--policy-ops: unknown operation '{name}'; choose from {string.Join(", ", OperationTable.All.Select(o => o.Name))}");
                }
            }
            if (names.Distinct().Count() != names.Length || names.Length < 2)
            {
                throw new DaboException($"--policy-ops {Operations}: name at least two different operations, each once");
            }
        }
    }
}
