using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Policies;
using Dabo.Methods;
using Dabo.Training;

namespace Dabo.Tests.Methods;

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
        Assert.IsType<LearnedPolicyKind>(spec.Learned!.Kind);
        var policy = Assert.IsType<LearnedPolicyMethod>(spec.Resolve(new TrainingConfig()));
        Assert.Equal(new PolicyArguments(1, PolicyRanges.Narrow), policy.Policy);
        Assert.True(policy.Shuffled);
        Assert.Equal("standard+random-affine:0.25", policy.FixedText);
        Assert.Equal("standard+random-affine:0.25+learned-policy-shuffled:1:narrow", spec.ToString());

        var transfer = MethodSpec.Parse("learned:runs/x");
        Assert.Empty(transfer.Fixed);
        Assert.IsType<TransferKind>(transfer.Learned!.Kind);
        Assert.Equal("runs/x", Assert.IsType<TransferMethod>(transfer.Resolve(new TrainingConfig())).Directory);

        var augmenter = Assert.IsType<LearnedAugmenterMethod>(MethodSpec.Parse("learned-affine").Resolve(new TrainingConfig { InnerSteps = 2 }));
        Assert.Equal("learned-affine", augmenter.Augmenter);
        Assert.Equal(2, augmenter.Options.InnerSteps);
        Assert.False(Assert.IsType<LearnedPolicyMethod>(MethodSpec.Parse("learned-policy").Resolve(new TrainingConfig())).Shuffled);
        Assert.True(Assert.IsType<LearnedPolicyMethod>(MethodSpec.Parse("learned-policy").Resolve(new TrainingConfig { PolicyControl = PolicyControl.Shuffle })).Shuffled);
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
