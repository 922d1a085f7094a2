using Dabo.Augmentation;
using Dabo.Augmentation.Fixed;
using TorchSharp;
using static Dabo.Tests.Augmentation.TransformTestData;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation;

public class RandomAffineTests
{
    private static Tensor Bytes(long n, long c, long h, long w) => (Random(1, c, h, w) * 255).round().to_type(ScalarType.Byte).expand(n, c, h, w).contiguous();

    [Fact]
    public void KeepsShapeAndDtypeAndChangesIdenticalImagesDifferently()
    {
        using var scope = NewDisposeScope();
        IFixedAugmentation augmentation = new RandomAffine(0.5);
        Assert.Equal("random-affine", augmentation.Name);
        var x = Bytes(4, 3, 16, 16);
        using var generator = new Generator(1, CPU);
        var y = augmentation.Apply(x, generator);
        Assert.Equal(x.shape, y.shape);
        Assert.Equal(ScalarType.Byte, y.dtype);
        Assert.False(Identical(y[0], y[1]));
        Assert.False(Identical(y[0], x[0]));
        Assert.True(Identical(x, Bytes(4, 3, 16, 16)), "the input must not be modified");
    }

    [Fact]
    public void MagnitudeZeroIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var x = Bytes(3, 1, 10, 12);
        using var generator = new Generator(2, CPU);
        Assert.True(Identical(new RandomAffine(0).Apply(x, generator), x));
    }

    [Fact]
    public void SameGeneratorSeedGivesTheSameResult()
    {
        using var scope = NewDisposeScope();
        var x = Bytes(4, 3, 8, 8);
        using var g1 = new Generator(7, CPU);
        using var g2 = new Generator(7, CPU);
        var a = new RandomAffine(1).Apply(x, g1);
        Assert.True(Identical(a, new RandomAffine(1).Apply(x, g2)));
        Assert.False(Identical(a, new RandomAffine(1).Apply(x, g1)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void RejectsMagnitudesOutsideTheUnitInterval(double magnitude) =>
        Assert.Throws<DaboException>(() => new RandomAffine(magnitude));
}
