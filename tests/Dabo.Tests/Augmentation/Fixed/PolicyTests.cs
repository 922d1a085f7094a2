using Dabo.Augmentation;
using Dabo.Augmentation.Fixed;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Fixed;

/// <summary>Properties every fixed augmentation shares, checked through the parser's names.</summary>
public class PolicyTests
{
    public static TheoryData<string> Names => ["none", "standard", "crop", "flip", "randaugment", "randaugment:1:30", "trivialaugment", "autoaugment", "uniform-policy", "uniform-policy:3", "uniform-policy:narrow", "uniform-policy:1:narrow", "standard+trivialaugment"];

    public static TheoryData<string> RandomNames => ["standard", "randaugment", "trivialaugment", "autoaugment", "uniform-policy"];

    private static IFixedAugmentation Make(string name, int channels = 3) => FixedAugmentationParser.Parse(name, channels);

    [Theory]
    [MemberData(nameof(Names))]
    public void KeepsShapeAndDtypeAndLeavesInputAlone(string name)
    {
        using var images = TestImages.Random(6, 3, 32, 32);
        using var before = images.clone();
        using var g = new Generator(0);
        var augmentation = Make(name);
        Assert.Equal(name, augmentation.Name);
        using var output = augmentation.Apply(images, g);
        Assert.Equal(images.shape, output.shape);
        Assert.Equal(ScalarType.Byte, output.dtype);
        Assert.True(TestImages.Same(images, before));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GrayscaleWorks(string name)
    {
        // 32 images so that every policy operation (equalize included) is very likely drawn.
        using var images = TestImages.Random(32, 1, 28, 28);
        using var g = new Generator(5);
        using var output = Make(name, channels: 1).Apply(images, g);
        Assert.Equal(images.shape, output.shape);
        Assert.Equal(ScalarType.Byte, output.dtype);
    }

    [Theory]
    [MemberData(nameof(RandomNames))]
    public void IdenticalImagesComeOutDifferent(string name)
    {
        using var images = TestImages.Identical(16, 3, 32, 32);
        using var g = new Generator(0);
        using var output = Make(name).Apply(images, g);
        Assert.False(TestImages.AllEqual(output), $"{name} gave all 16 copies the same draw");
    }

    [Theory]
    [MemberData(nameof(RandomNames))]
    public void SameSeedGivesSameOutputWhateverTheGlobalSeed(string name)
    {
        using var images = TestImages.Random(16, 3, 32, 32);
        var augmentation = Make(name);
        torch.manual_seed(1);
        using var g1 = new Generator(42);
        using var a = augmentation.Apply(images, g1);
        // A different global seed must not matter: only the passed generator is used.
        torch.manual_seed(2);
        using var g2 = new Generator(42);
        using var b = augmentation.Apply(images, g2);
        using var c = augmentation.Apply(images, g2);
        Assert.True(TestImages.Same(a, b));
        Assert.False(TestImages.Same(b, c));
    }

    /// <summary>Brightness per column summed over 200 augmented copies of a dot at the centre.</summary>
    private static float[] DotColumns(TrivialAugment augmentation)
    {
        // Rotations and shears keep a centred dot in place; translations move it.
        using var scope = NewDisposeScope();
        var images = torch.zeros([200, 3, 33, 33], dtype: ScalarType.Byte);
        images[TensorIndex.Colon, TensorIndex.Colon, 16, 16] = torch.tensor((byte)255);
        using var g = new Generator(0);
        var output = augmentation.Apply(images, g);
        return output.narrow(1, 0, 1).to(ScalarType.Float32).sum([0, 1, 2]).data<float>().ToArray();
    }

    [Fact]
    public void TrivialAugmentNegatesMagnitudes()
    {
        var mass = DotColumns(new TrivialAugment());
        Assert.True(mass[..12].Sum() > 0, "never moved left");
        Assert.True(mass[21..].Sum() > 0, "never moved right");
    }
}
