using Dabo.Augmentation;
using Dabo.Augmentation.Policies;

namespace Dabo.Tests.Augmentation;

public class MethodSpecTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("standard+trivialaugment")]
    [InlineData("random-affine:0.5")]
    [InlineData("randaugment:2:9")]
    [InlineData("policy:runs/a/policy.json")]
    [InlineData("standard+learned-affine")]
    [InlineData("learned-policy")]
    [InlineData("learned-policy:1:narrow")]
    [InlineData("standard+learned-policy-shuffled:3")]
    [InlineData("learned:runs/a+b")]
    public void ToString_round_trips(string method)
    {
        var spec = MethodSpec.Parse(method);
        Assert.Equal(method, spec.ToString());
        Assert.Equal(spec, MethodSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void Parses_each_part_into_a_typed_value()
    {
        var spec = MethodSpec.Parse(" Standard+random-affine:0.25+learned-policy-shuffled:1:narrow");
        Assert.Equal([new FixedPart("standard", null), new FixedPart("random-affine", "0.25")], spec.Fixed);
        Assert.Equal("standard+random-affine:0.25", spec.FixedText);
        Assert.Equal(LearnedPartKind.ShuffledPolicy, spec.Learned!.Kind);
        Assert.Equal(new PolicyArguments(1, PolicyRanges.Narrow), spec.Learned.Policy);
        Assert.Equal("standard+random-affine:0.25+learned-policy-shuffled:1:narrow", spec.ToString());

        var transfer = MethodSpec.Parse("learned:runs/x");
        Assert.Empty(transfer.Fixed);
        Assert.Equal(LearnedPartKind.Transfer, transfer.Learned!.Kind);
        Assert.Equal("runs/x", transfer.Learned.TransferDirectory);

        Assert.Equal("learned-affine", MethodSpec.Parse("learned-affine").Learned!.AugmenterName);
        Assert.Equal("learned-policy:3", MethodSpec.LearnedPolicy(3).ToString());
        Assert.Equal(MethodSpec.None, MethodSpec.Parse("none"));
    }

    [Fact]
    public void Grid_is_a_method_only_where_allowed()
    {
        var grid = MethodSpec.Parse("grid:random-affine", allowGrid: true);
        Assert.Equal("random-affine", grid.GridFamily);
        Assert.Equal("grid:random-affine", grid.ToString());
        var e = Assert.Throws<DaboException>(() => MethodSpec.Parse("grid:random-affine"));
        Assert.Contains("unknown name 'grid'", e.Message);
    }

    [Theory]
    [InlineData("", "empty method")]
    [InlineData("bogus", "unknown name 'bogus'")]
    [InlineData("standard++trivialaugment", "an empty name")]
    [InlineData("learned-affine+standard", "a learned augmenter must come last")]
    [InlineData("learned-bogus", "unknown learned augmenter 'learned-bogus'")]
    [InlineData("learned-policy:x", "write learned-policy[:S][:wide|narrow]")]
    public void Refuses_bad_methods_with_the_messages_of_the_command_line(string method, string message)
    {
        var e = Assert.Throws<DaboException>(() => MethodSpec.Parse(method));
        Assert.Contains(message, e.Message);
    }
}
