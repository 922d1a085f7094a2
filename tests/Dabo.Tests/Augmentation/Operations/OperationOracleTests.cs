using Dabo.Augmentation.Operations;
using Dabo.Tests.Augmentation.Fixed;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torchvision.transforms.functional;

namespace Dabo.Tests.Augmentation.Operations;

/// <summary>
/// Each batched operation against TorchVision for .NET's functional implementation of the same
/// operation, image by image, at a different magnitude per image.
/// </summary>
public class OperationOracleTests
{
    private static readonly double[] SignedMagnitudes = [0.0, 0.13, -0.41, 0.77, -0.99, 0.5];

    /// <summary>Runs the batched operation on 6 images, then TorchVision on each; returns the largest difference in levels.</summary>
    private static int MaxDifference(string operation, double[] magnitudes, Func<Tensor, double, Tensor> oracle, int channels = 3, long size = 20)
    {
        using var scope = NewDisposeScope();
        var images = TestImages.Random(magnitudes.Length, channels, size, size + 3, seed: 7);
        var op = OperationTable.Get(operation);
        var positions = zeros(magnitudes.Length, 2);
        var batched = op.ApplyChecked(images, tensor(magnitudes), positions);
        int worst = 0;
        for (int i = 0; i < magnitudes.Length; i++)
        {
            var expected = oracle(images[i], magnitudes[i]);
            var difference = (batched[i].to_type(ScalarType.Int32) - expected.to_type(ScalarType.Int32)).abs().max().item<int>();
            worst = Math.Max(worst, difference);
        }
        return worst;
    }

    private static float Degrees(double shear) => (float)(180.0 / Math.PI * Math.Atan(shear));

    [Fact]
    public void ShearXMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("shear-x", SignedMagnitudes, (x, m) => F.affine(x, shear: [Degrees(m), 0f], angle: 0f, translate: [0, 0], scale: 1f)));

    [Fact]
    public void ShearYMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("shear-y", SignedMagnitudes, (x, m) => F.affine(x, shear: [0f, Degrees(m)], angle: 0f, translate: [0, 0], scale: 1f)));

    [Fact]
    public void TranslateXMatchesTorchVisionExactly() =>
        // The magnitude is a fraction of the width (23 here); TorchVision takes whole pixels.
        Assert.Equal(0, MaxDifference("translate-x", SignedMagnitudes, (x, m) => F.affine(x, shear: [0f, 0f], translate: [(int)(m * 23), 0])));

    [Fact]
    public void TranslateYMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("translate-y", SignedMagnitudes, (x, m) => F.affine(x, shear: [0f, 0f], translate: [0, (int)(m * 20)])));

    [Fact]
    public void RotateMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("rotate", [0, 10, -45, 90, 135, -133.2], (x, m) => F.rotate(x, (float)m)));

    [Fact]
    public void ScaleMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("scale", [0, 0.25, -0.25, 0.5, -0.1, 0.07], (x, m) => F.affine(x, shear: [0f, 0f], scale: (float)(1 + m))));

    [Fact]
    public void BrightnessMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("brightness", SignedMagnitudes, (x, m) => F.adjust_brightness(x, 1 + m)));

    [Fact]
    public void SharpnessMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("sharpness", SignedMagnitudes, (x, m) => F.adjust_sharpness(x, 1 + m)));

    [Fact]
    public void GrayscaleContrastMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("contrast", SignedMagnitudes, (x, m) => F.adjust_contrast(x, 1 + m), channels: 1));

    /// <summary>
    /// TorchVision for .NET 0.107 blends a 0–255 uint8 image with a 0–1 grey level in
    /// <c>adjust_contrast</c> and <c>adjust_saturation</c> (its <c>rgb_to_grayscale</c> converts to
    /// float), so its uint8 path is wrong for RGB; its float path is right. Ours follows PyTorch's
    /// uint8 path: the grey level is truncated to a whole level and the result truncated, hence
    /// differences of at most 2 levels against the float path.
    /// </summary>
    private static Tensor ViaFloat(Tensor image, Func<Tensor, Tensor> adjust)
    {
        using var x = image.to_type(ScalarType.Float32) / 255.0f;
        using var y = adjust(x);
        return (y * 255.0f).round();
    }

    [Fact]
    public void RgbContrastMatchesTorchVisionFloatPathWithinTwoLevels() =>
        Assert.InRange(MaxDifference("contrast", SignedMagnitudes, (x, m) => ViaFloat(x, f => F.adjust_contrast(f, 1 + m))), 0, 2);

    [Fact]
    public void ColorMatchesTorchVisionFloatPathWithinTwoLevels() =>
        Assert.InRange(MaxDifference("color", SignedMagnitudes, (x, m) => ViaFloat(x, f => F.adjust_saturation(f, 1 + m))), 0, 2);

    [Fact]
    public void TorchVisionUint8ContrastIsWrongForRgb()
    {
        // Why the two tests above use the float path. If this fails, TorchVision was fixed: compare with its uint8 path.
        using var scope = NewDisposeScope();
        var image = full(3, 8, 8, 200, dtype: ScalarType.Byte);
        var halved = F.adjust_contrast(image, 0.5);
        Assert.NotEqual(200, halved[0, 0, 0].item<byte>());
    }

    [Fact]
    public void HueMatchesTorchVisionWithinOneLevel() =>
        Assert.InRange(MaxDifference("hue", [0, 0.1, -0.2, 0.5, -0.5, 0.33], (x, m) => ViaFloat(x, f => F.adjust_hue(f.unsqueeze(0), m).squeeze(0))), 0, 1);

    [Fact]
    public void PosterizeMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("posterize", [8, 7, 6, 4, 2, 1], (x, m) => F.posterize(x, (int)m)));

    [Fact]
    public void SolarizeMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("solarize", [1, 0.9, 0.5, 0.25, 0.01, 0], (x, m) => F.solarize(x, m * 255)));

    [Fact]
    public void AutoContrastMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("autocontrast", [0, 0, 0, 0, 0, 0], (x, m) => F.autocontrast(x)));

    [Fact]
    public void EqualizeMatchesTorchVisionExactly()
    {
        // Low-contrast images (values 100–109), which equalize visibly stretches.
        using var scope = NewDisposeScope();
        var images = TestImages.Random(5, 3, 24, 24, seed: 3).remainder(10).add(100);
        images[4] = TestImages.Random(1, 3, 24, 24, seed: 4)[0];
        var batched = OperationTable.Get("equalize").ApplyChecked(images, zeros(5, dtype: ScalarType.Float64), zeros(5, 2));
        var expected = F.equalize(images);
        Assert.True(TestImages.Same(expected, batched));
        Assert.False(TestImages.Same(images, batched));
    }

    [Fact]
    public void InvertMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("invert", [0, 0, 0, 0, 0, 0], (x, m) => F.invert(x)));

    [Fact]
    public void FlipMatchesTorchVisionExactly() =>
        Assert.Equal(0, MaxDifference("flip", [0, 0, 0, 0, 0, 0], (x, m) => F.hflip(x)));
}
