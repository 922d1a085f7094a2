using Dabo.Augmentation.Fixed;

namespace Dabo.Tests.Augmentation.Fixed;

public class FixedAugmentationParserTests
{
    [Fact]
    public void ParsesSingleNames()
    {
        Assert.IsType<NoAugmentation>(FixedAugmentationParser.Parse("none", 3));
        Assert.IsType<TrivialAugment>(FixedAugmentationParser.Parse(" TrivialAugment ", 3));
        var standard = Assert.IsType<StandardAugmentation>(FixedAugmentationParser.Parse("standard", 3));
        Assert.True(standard.Flip);
        Assert.Equal(4, standard.Padding);
    }

    [Fact]
    public void StandardOnlyCropsWhenFlipsAreNotAllowed()
    {
        var standard = Assert.IsType<StandardAugmentation>(FixedAugmentationParser.Parse("standard", 1, allowFlip: false));
        Assert.False(standard.Flip);
    }

    [Fact]
    public void ComposesLeftToRight()
    {
        var composed = Assert.IsType<ComposedAugmentation>(FixedAugmentationParser.Parse("standard+trivialaugment+autoaugment", 3));
        Assert.Collection(composed.Parts,
            p => Assert.IsType<StandardAugmentation>(p),
            p => Assert.IsType<TrivialAugment>(p),
            p => Assert.IsType<AutoAugment>(p));
        Assert.Equal("standard+trivialaugment+autoaugment", composed.Name);
    }

    [Theory]
    [InlineData("cutout")]
    [InlineData("standard+bogus")]
    [InlineData("standard++trivialaugment")]
    [InlineData("")]
    public void UnknownNamesListTheValidOnes(string method)
    {
        var e = Assert.Throws<DaboException>(() => FixedAugmentationParser.Parse(method, 3));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("valid names: none, standard", e.Message);
        Assert.Contains("trivialaugment", e.Message);
    }

    [Fact]
    public void RejectsArgumentsLearnedPartsAndBadChannels()
    {
        Assert.Throws<DaboException>(() => FixedAugmentationParser.Parse("standard:2", 3));
        Assert.Throws<DaboException>(() => FixedAugmentationParser.Parse("standard+learned-affine", 3));
        Assert.Throws<DaboException>(() => FixedAugmentationParser.Parse("standard", 4));
    }

    [Theory]
    [InlineData("standard+learned-affine", "standard", "learned-affine")]
    [InlineData("standard+trivialaugment", "standard+trivialaugment", null)]
    [InlineData("none", "none", null)]
    [InlineData("learned-affine", null, "learned-affine")]
    [InlineData("learned:runs/a+b", null, "learned:runs/a+b")]
    [InlineData("crop+learned:/tmp/run 1", "crop", "learned:/tmp/run 1")]
    [InlineData("standard+learned-affine+learned-color", "standard", "learned-affine+learned-color")]
    [InlineData("", null, null)]
    public void SplitsFixedAndLearnedParts(string method, string? fixedPart, string? learnedPart)
    {
        Assert.Equal(new AugmentationMethod(fixedPart, learnedPart), FixedAugmentationParser.Split(method));
    }

    [Fact]
    public void ParsesMagnitudes()
    {
        Assert.Equal(1.0, AugmentationArguments.Magnitude("random-affine", null, 1.0));
        Assert.Equal(0.5, AugmentationArguments.Magnitude("random-affine", "0.5", 1.0));
        Assert.Throws<DaboException>(() => AugmentationArguments.Magnitude("random-affine", "-1", 1.0));
        Assert.Throws<DaboException>(() => AugmentationArguments.Magnitude("random-affine", "big", 1.0));
    }
}
