using Dabo.Augmentation.Fixed;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Fixed;

public class StandardAugmentationTests
{
    /// <summary>
    /// Which of the 81 shifts × 2 mirrors (input zero-padded by 4) reproduces <paramref name="output"/>;
    /// (dy, dx, mirrored) or null when none does.
    /// </summary>
    private static (int Dy, int Dx, bool Mirrored)? Match(Tensor input, Tensor output, int padding = 4)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (input.shape[1], input.shape[2]);
        var padded = nn.functional.pad(input, [padding, padding, padding, padding]);
        foreach (var mirrored in new[] { false, true })
        {
            // Mirroring the padded image then cropping covers "mirror, then shift".
            var source = mirrored ? padded.flip(2) : padded;
            for (var dy = 0; dy <= 2 * padding; dy++)
            {
                for (var dx = 0; dx <= 2 * padding; dx++)
                {
                    if (TestImages.Same(source.narrow(1, dy, h).narrow(2, dx, w), output))
                    {
                        return (dy - padding, dx - padding, mirrored);
                    }
                }
            }
        }
        return null;
    }

    [Fact]
    public void KeepsShapeAndDtypeAndLeavesInputAlone()
    {
        using var images = TestImages.Random(8, 3, 32, 32);
        using var before = images.clone();
        using var g = new Generator(0);
        using var output = new StandardAugmentation().Apply(images, g);
        Assert.Equal(images.shape, output.shape);
        Assert.Equal(ScalarType.Byte, output.dtype);
        Assert.True(TestImages.Same(images, before));
    }

    [Fact]
    public void EveryOutputIsAShiftOfAtMostFourPixelsOrItsMirror()
    {
        using var images = TestImages.Random(64, 3, 12, 10);
        using var g = new Generator(7);
        using var output = new StandardAugmentation().Apply(images, g);
        var matches = new List<(int Dy, int Dx, bool Mirrored)>();
        for (var i = 0; i < 64; i++)
        {
            var match = Match(images[i], output[i]);
            Assert.True(match is not null, $"image {i} is no shifted or mirrored copy");
            matches.Add(match.Value);
        }
        // The draws are spread: both mirrors, and shifts in both directions on both axes.
        Assert.Contains(matches, m => m.Mirrored);
        Assert.Contains(matches, m => !m.Mirrored);
        Assert.Contains(matches, m => m.Dx < 0);
        Assert.Contains(matches, m => m.Dx > 0);
        Assert.Contains(matches, m => m.Dy < 0);
        Assert.Contains(matches, m => m.Dy > 0);
    }

    [Fact]
    public void MirrorIsATrueMirror()
    {
        // Flip only: each output is the image or exactly its column reversal.
        using var images = TestImages.Random(32, 1, 5, 7);
        using var g = new Generator(3);
        using var output = new StandardAugmentation(flip: true, padding: 0).Apply(images, g);
        var mirrored = 0;
        for (var i = 0; i < 32; i++)
        {
            using var image = images[i];
            using var reversed = image.flip(2);
            using var result = output[i];
            if (TestImages.Same(result, reversed))
            {
                mirrored++;
            }
            else
            {
                Assert.True(TestImages.Same(result, image), $"image {i} is neither itself nor its mirror");
            }
        }
        Assert.InRange(mirrored, 4, 28);
        Assert.Equal("flip", new StandardAugmentation(padding: 0).Name);
    }

    [Fact]
    public void FlipDisabledNeverMirrors()
    {
        using var images = TestImages.Random(64, 1, 9, 9);
        using var g = new Generator(11);
        var crop = new StandardAugmentation(flip: false);
        Assert.Equal("crop", crop.Name);
        using var output = crop.Apply(images, g);
        for (var i = 0; i < 64; i++)
        {
            var match = Match(images[i], output[i]);
            Assert.True(match is { Mirrored: false }, $"image {i}: {match}");
        }
    }

    [Fact]
    public void IdenticalImagesComeOutDifferent()
    {
        using var images = TestImages.Identical(16, 3, 32, 32);
        using var g = new Generator(0);
        using var output = new StandardAugmentation().Apply(images, g);
        Assert.False(TestImages.AllEqual(output));
    }

    [Fact]
    public void SameSeedGivesSameOutput()
    {
        using var images = TestImages.Random(16, 3, 32, 32);
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        var standard = new StandardAugmentation();
        using var a = standard.Apply(images, g1);
        using var b = standard.Apply(images, g2);
        using var c = standard.Apply(images, g2);
        Assert.True(TestImages.Same(a, b));
        Assert.False(TestImages.Same(b, c));
    }
}
