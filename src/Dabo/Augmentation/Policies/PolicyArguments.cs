using Dabo.Augmentation.Fixed;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// The arguments of <c>uniform-policy</c>, <c>learned-policy</c> and <c>learned-policy-shuffled</c>:
/// <c>NAME[:S][:wide|narrow]</c>, S operation slots (1 to 8, default 2) over TrivialAugment-Wide's
/// ranges (<c>wide</c>, the default) or RandAugment's (<c>narrow</c>). One parser for all three.
/// </summary>
/// <param name="Slots">Operation slots per image.</param>
/// <param name="Ranges">The magnitude ranges.</param>
public sealed record PolicyArguments(int Slots, PolicyRanges Ranges)
{
    /// <summary>How the arguments are written after a policy's name, for help texts: <c>[:S][:wide|narrow]</c>.</summary>
    public const string Syntax = "[:S][:wide|narrow]";

    /// <summary>Default number of slots.</summary>
    public const int DefaultSlots = 2;

    /// <summary>Most slots a policy may have.</summary>
    public const int MaxSlots = 8;

    /// <summary>The defaults: two slots, wide ranges.</summary>
    public static PolicyArguments Default { get; } = new(DefaultSlots, PolicyRanges.Wide);

    /// <summary>Parses the part after <c>NAME:</c> (null: the defaults).</summary>
    /// <param name="name">The method name, for messages.</param>
    /// <param name="argument">e.g. <c>1</c>, <c>narrow</c>, <c>2:narrow</c>, or null.</param>
    /// <exception cref="DaboException">An argument that is neither a slot count nor a range name, or one given twice.</exception>
    public static PolicyArguments Parse(string name, string? argument)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (argument is null)
        {
            return Default;
        }
        int? slots = null;
        PolicyRanges? ranges = null;
        foreach (var part in argument.Split(':'))
        {
            if (part is "wide" or "narrow")
            {
                ranges = ranges is null ? (part == "wide" ? PolicyRanges.Wide : PolicyRanges.Narrow) : throw Invalid(name, argument);
            }
            else if (part.Length > 0 && char.IsAsciiDigit(part[0]) && slots is null)
            {
                slots = AugmentationArguments.Count(name, part, DefaultSlots, 1, MaxSlots);
            }
            else
            {
                throw Invalid(name, argument);
            }
        }
        return new PolicyArguments(slots ?? DefaultSlots, ranges ?? PolicyRanges.Wide);
    }

    /// <summary>The space these arguments draw from, for images with <paramref name="channels"/> channels.</summary>
    public PolicySpace Space(int channels, int bins = 31) => Ranges == PolicyRanges.Narrow
        ? PolicySpace.RandAugmentRanges(channels, bins)
        : PolicySpace.TrivialAugmentWide(channels, bins);

    /// <summary>The argument text that <see cref="Parse"/> reads back: empty for the defaults, else e.g. <c>:1</c>, <c>:narrow</c> or <c>:1:narrow</c>.</summary>
    public string Suffix =>
        (Slots == DefaultSlots ? "" : $":{Slots}") + (Ranges == PolicyRanges.Narrow ? ":narrow" : "");

    private static DaboException Invalid(string name, string argument) =>
        new($"augmentation '{name}:{argument}': write {name}{Syntax}, e.g. {name}:2:narrow (S operation slots from 1 to {MaxSlots}; wide: TrivialAugment-Wide's ranges, narrow: RandAugment's)");
}
