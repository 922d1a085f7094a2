using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Policies;
using Dabo.Training;
using Dabo.Training.Policy;
using Dabo.Training.Runs;
using Dabo.Training.Steps;

namespace Dabo.Methods;

/// <summary>
/// <c>learned-policy[:S][:wide|narrow]</c> and its control <c>learned-policy-shuffled[…]</c>: a distribution over
/// TrivialAugment-Wide's operations learned from a validation-gradient reward (<see cref="PolicyOptions"/>). Its
/// run leaves <c>policy.json</c>, which <c>policy:FILE</c> replays, and <c>torchvision.txt</c>.
/// </summary>
public sealed class LearnedPolicyKind : MethodKind
{
    private const string PolicyName = "learned-policy";
    private const string ShuffledName = "learned-policy-shuffled";

    /// <inheritdoc />
    public override string Name => PolicyName;

    /// <inheritdoc />
    public override IReadOnlyList<string> Syntaxes => [PolicyName + PolicyArguments.Syntax, ShuffledName + PolicyArguments.Syntax];

    /// <inheritdoc />
    public override IReadOnlyList<string> OwnFlags => PolicyOptions.Flags;

    /// <summary>The text of a policy method with <paramref name="arguments"/>, e.g. <c>learned-policy:1:narrow</c>.</summary>
    public static string Text(PolicyArguments arguments) => PolicyName + (arguments ?? throw new ArgumentNullException(nameof(arguments))).Suffix;

    /// <inheritdoc />
    public override bool TryParse(string text, out object? arguments)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (name, shuffled) in new[] { (ShuffledName, true), (PolicyName, false) })
        {
            if (text == name)
            {
                arguments = new Arguments(PolicyArguments.Default, shuffled);
                return true;
            }
            if (text.StartsWith(name + ":", StringComparison.Ordinal))
            {
                arguments = new Arguments(PolicyArguments.Parse(name, text[(name.Length + 1)..]), shuffled);
                return true;
            }
        }
        arguments = null;
        return false;
    }

    /// <inheritdoc />
    public override bool IsControl(object? arguments) => arguments is Arguments { Shuffled: true };

    /// <inheritdoc />
    public override TrainingMethod Create(IReadOnlyList<FixedPart> fixedParts, string text, object? arguments, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var parsed = (Arguments)arguments!;
        var options = config.Policy;
        return new LearnedPolicyMethod(fixedParts, text, parsed.Policy, parsed.Shuffled || options.Control == PolicyControl.Shuffle, options);
    }

    /// <summary>Slots and ranges, and whether the name is the shuffled control's.</summary>
    internal sealed record Arguments(PolicyArguments Policy, bool Shuffled);
}

/// <summary>A learned policy after optional fixed augmentations.</summary>
/// <param name="fixedParts">Fixed augmentations first.</param>
/// <param name="text">The policy part as written.</param>
/// <param name="policy">Slots and magnitude ranges.</param>
/// <param name="shuffled">The control: advantages permuted at random.</param>
/// <param name="options">The learner's options.</param>
public sealed class LearnedPolicyMethod(IReadOnlyList<FixedPart> fixedParts, string text, PolicyArguments policy, bool shuffled, PolicyOptions options)
    : TrainingMethod(fixedParts, text)
{
    /// <summary>Slots and magnitude ranges.</summary>
    public PolicyArguments Policy => policy;

    /// <summary>Whether the advantages are shuffled (the control).</summary>
    public bool Shuffled => shuffled;

    /// <summary>The learner's options.</summary>
    public PolicyOptions Options => options;

    /// <inheritdoc />
    public override IReadOnlyList<string> CheckData(int channels, int validationImages, int trainImages)
    {
        base.CheckData(channels, validationImages, trainImages);
        if (channels != 3 && options.OperationList?.FirstOrDefault(o => o.NeedsRgb) is { } rgb)
        {
            throw new DaboException($"--policy-ops: {rgb.Name} needs RGB images (3 channels) but the data has {channels}");
        }
        var (used, split) = validationImages > 0 ? (validationImages, "validation split") : (trainImages, "training split (there is no validation split)");
        return options.ValImages > used
            ? [$"--policy-val-images {options.ValImages}: more than the {used} images of the {split}; each validation gradient uses all {used}"]
            : [];
    }

    /// <inheritdoc />
    public override TrainingStep CreateStep(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool afterFixed = Fixed.Count > 0;
        return new LearnedPolicyStep(context, policy.Slots, Space(context.Data.Channels), shuffled, options,
            context.Seeds.Policy(afterFixed), context.Seeds.PolicyLearner(afterFixed), FixedText);
    }

    // The space of the policy's ranges, or the operations of --policy-ops with those ranges.
    private PolicySpace Space(int channels) => options.OperationList is not { } operations
        ? policy.Space(channels)
        : new PolicySpace([.. operations.Select(o => new PolicyEntry(o, policy.Ranges == PolicyRanges.Narrow ? PolicySpace.NarrowRange(o) : o.Range))], 31);

    /// <inheritdoc />
    public override LearnedArtifacts LoadArtifacts(RunDirectory? run, int channels, long seed)
    {
        if (run is null)
        {
            throw new DaboException($"--augment {Text}: a learned policy needs the run directory that learned it; pass --run DIR, or --augment policy:DIR/policy.json");
        }
        if (!File.Exists(run.PolicyFile))
        {
            throw new DaboException($"--run {run.Path}: no policy.json; a learned-policy run writes it when it finishes (resume the run to finish it)");
        }
        return new LearnedArtifacts(null, run.PolicyFile);
    }
}
