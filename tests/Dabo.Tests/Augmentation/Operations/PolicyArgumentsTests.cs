using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Policies;
using Dabo.Training;

namespace Dabo.Tests.Augmentation.Operations;

public class PolicyArgumentsTests
{
    [Theory]
    [InlineData(null, 2, PolicyRanges.Wide, "")]
    [InlineData("1", 1, PolicyRanges.Wide, ":1")]
    [InlineData("narrow", 2, PolicyRanges.Narrow, ":narrow")]
    [InlineData("3:narrow", 3, PolicyRanges.Narrow, ":3:narrow")]
    [InlineData("narrow:3", 3, PolicyRanges.Narrow, ":3:narrow")]
    [InlineData("2:wide", 2, PolicyRanges.Wide, "")]
    public void ParsesSlotsAndRangesInEitherOrder(string? argument, int slots, PolicyRanges ranges, string suffix)
    {
        var parsed = PolicyArguments.Parse("learned-policy", argument);
        Assert.Equal(new PolicyArguments(slots, ranges), parsed);
        Assert.Equal(suffix, parsed.Suffix);
        Assert.Equal(parsed, PolicyArguments.Parse("learned-policy", suffix.Length == 0 ? null : suffix[1..]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("medium")]
    [InlineData("narrow:wide")]
    [InlineData("2:3")]
    [InlineData("")]
    [InlineData("2:")]
    public void RefusesBadArgumentsNamingTheForm(string argument)
    {
        var error = Assert.Throws<DaboException>(() => PolicyArguments.Parse("uniform-policy", argument));
        Assert.Contains($"uniform-policy:{argument}", error.Message);
    }

    [Fact]
    public void NarrowSpaceHasRandAugmentsRanges()
    {
        var wide = PolicyArguments.Parse("uniform-policy", null).Space(3);
        var narrow = PolicyArguments.Parse("uniform-policy", "narrow").Space(3);
        Assert.Equal(wide.Operations.Select(o => o.Name), narrow.Operations.Select(o => o.Name));
        Assert.Equal(0.99, wide.Entries[wide.IndexOf("shear-x")].Range!.End, 12);
        Assert.Equal(0.3, narrow.Entries[narrow.IndexOf("shear-x")].Range!.End, 12);
        Assert.Equal(30, narrow.Entries[narrow.IndexOf("rotate")].Range!.End, 12);
        Assert.Equal(135, wide.Entries[wide.IndexOf("rotate")].Range!.End, 12);
    }

    [Fact]
    public void UniformAndLearnedPolicyNamesCarryTheArguments()
    {
        Assert.Equal("uniform-policy:narrow", FixedAugmentationParser.Parse("uniform-policy:narrow", 3).Name);
        Assert.Equal(new PolicyArguments(1, PolicyRanges.Narrow), Assert.IsType<Dabo.Methods.LearnedPolicyMethod>(Dabo.Methods.MethodSpec.Parse("learned-policy-shuffled:1:narrow").Resolve(new())).Policy);
        Assert.IsNotType<Dabo.Methods.LearnedPolicyMethod>(Dabo.Methods.MethodSpec.Parse("learned-affine").Resolve(new()));
        var error = Assert.Throws<DaboException>(() => Dabo.Methods.MethodSpec.Parse("learned-policy:x"));
        Assert.Contains("learned-policy[:S][:wide|narrow]", error.Message);
    }
}
