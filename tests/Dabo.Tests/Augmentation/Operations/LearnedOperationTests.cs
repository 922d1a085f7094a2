using System.Text.Json;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Operations;
using static Dabo.Tests.Augmentation.TransformTestData;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Operations;

/// <summary>The learned side of the table of operations (<see cref="Operation.Learned"/>).</summary>
public class LearnedOperationTests
{
    [Fact]
    public void EveryLearnedParameterIsExactlyOneTableEntryWithMatchingNeedsRgb()
    {
        using var scope = NewDisposeScope();
        foreach (var kind in AugmenterFactory.Kinds)
        {
            using var augmenter = AugmenterFactory.Create(kind.Name, 3, new AugmenterOptions());
            foreach (var spec in augmenter.Specs)
            {
                var entries = OperationTable.All.Where(o => o.Learned?.Name == spec.Name).ToList();
                Assert.Single(entries);
                Assert.Same(entries[0], spec.Operation);
                Assert.Contains(spec.Operation, OperationTable.Learned);

                // NeedsRgb says what the differentiable operation really needs.
                var gray = Random(2, 1, 6, 6);
                var values = Full(2, spec.Identity);
                if (spec.Learned.Adjust is { } adjust)
                {
                    if (spec.Operation.NeedsRgb)
                    {
                        Assert.Throws<DaboException>(() => adjust(gray, values));
                    }
                    else
                    {
                        Assert.True(Identical(gray, adjust(gray, values)), spec.Name);
                    }
                }
                else
                {
                    Assert.False(spec.Operation.NeedsRgb, spec.Name);
                }
            }
            Assert.Equal(kind.NeedsRgb, augmenter.Specs.Any(s => s.Operation.NeedsRgb));
            if (kind.NeedsRgb)
            {
                var e = Assert.Throws<DaboException>(() => AugmenterFactory.Create(kind.Name, 1, new AugmenterOptions()));
                Assert.Contains("3 channels", e.Message);
            }
            else
            {
                AugmenterFactory.Create(kind.Name, 1, new AugmenterOptions()).Dispose();
            }
        }
    }

    [Fact]
    public void LearnedParametersKeepTheirNamesUnitsIdentitiesAndOrder()
    {
        // The names are those of existing metrics and reports; the order is the output columns'.
        var expected = new (string Name, string Operation, string Unit, double Identity, double Range)[]
        {
            ("translate-x", "translate-x", "fraction", 0, 0.25),
            ("translate-y", "translate-y", "fraction", 0, 0.25),
            ("rotate", "rotate", "deg", 0, 30),
            ("scale", "scale", "factor", 1, 0.25),
            ("shear-x", "shear-x", "deg", 0, 15),
            ("shear-y", "shear-y", "deg", 0, 15),
            ("brightness", "brightness", "factor", 1, 0.5),
            ("contrast", "contrast", "factor", 1, 0.5),
            ("saturation", "color", "factor", 1, 0.5),
            ("hue", "hue", "turn", 0, 0.5),
        };
        var actual = OperationTable.Learned
            .Select(o => (o.Learned!.Name, o.Name, o.Learned.Unit, o.Learned.Identity, o.Learned.Range.Default))
            .ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(Enumerable.Range(0, expected.Length), OperationTable.Learned.Select(o => o.Learned!.Order));
        Assert.All(OperationTable.Learned, o => Assert.True(o.Learned!.IsGeometric == (o.Learned.Warp is not null) && (o.Learned.Warp is null) != (o.Learned.Adjust is null), o.Name));
        Assert.Equal(["learned-affine", "learned-affine-color"], AugmenterFactory.Kinds.Take(2).Select(k => k.Name));
        Assert.Equal(expected.Take(6).Select(e => e.Name), AugmenterFactory.Kinds[0].Parameters.Select(p => p.Learned!.Name));
        Assert.Equal(expected.Select(e => e.Name), AugmenterFactory.Kinds[1].Parameters.Select(p => p.Learned!.Name));
    }

    [Fact]
    public void OptionsDefaultToTheTableAndOverrideItUnderTheirOldNames()
    {
        var defaults = new AugmenterOptions();
        Assert.All(OperationTable.Learned, o => Assert.Equal(o.Learned!.Range.Default, defaults.MaxRange(o.Learned.Range)));

        // augmenter.bin files hold the options as JSON with these property names.
        var json = JsonSerializer.Serialize(defaults);
        foreach (var property in new[] { "MaxTranslate", "MaxRotationDegrees", "MaxScaleChange", "MaxShearDegrees", "MaxColorFactorChange", "MaxHueShift" })
        {
            Assert.Contains($"\"{property}\":", json);
        }
        var read = JsonSerializer.Deserialize<AugmenterOptions>("""{"MaxShearDegrees": 10, "MaxHueShift": 0.25}""")!;
        Assert.Equal(10, read.MaxRange(LearnedRange.Shear));
        Assert.Equal(0.25, read.MaxRange(LearnedRange.HueShift));
        Assert.Equal(0.25, read.MaxRange(LearnedRange.Translation));
        using var augmenter = AugmenterFactory.Create("learned-affine-color", 3, read);
        Assert.Equal(10, augmenter.Specs.Single(s => s.Name == "shear-y").MaxRange);
        Assert.Equal(0.25, augmenter.Specs.Single(s => s.Name == "hue").MaxRange);
    }

    [Theory]
    [InlineData(nameof(AugmenterOptions.MaxTranslate), 1.5, "augmenter max translation 1.5: must be in (0, 1] (fraction of the image size)")]
    [InlineData(nameof(AugmenterOptions.MaxRotationDegrees), 0, "augmenter max rotation 0: must be in (0, 180] degrees")]
    [InlineData(nameof(AugmenterOptions.MaxScaleChange), 1, "augmenter max scale change 1: must be in (0, 1) so the scale stays positive")]
    [InlineData(nameof(AugmenterOptions.MaxShearDegrees), 45, "augmenter max shear 45: must be in (0, 45) degrees")]
    [InlineData(nameof(AugmenterOptions.MaxColorFactorChange), 2, "augmenter max colour factor change 2: must be in (0, 1] so factors stay ≥ 0")]
    [InlineData(nameof(AugmenterOptions.MaxHueShift), 0.75, "augmenter max hue shift 0.75: must be in (0, 0.5] turns")]
    public void InvalidRangesGiveTheSameMessagesAsBefore(string property, double value, string message)
    {
        var options = JsonSerializer.Deserialize<AugmenterOptions>($"{{\"{property}\": {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}")!;
        var e = Assert.Throws<DaboException>(options.Validate);
        Assert.Equal(message, e.Message);
    }
}
