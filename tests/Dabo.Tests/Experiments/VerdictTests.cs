using Dabo.Experiments;

namespace Dabo.Tests.Experiments;

public class VerdictTests
{
    private static MethodResult Result(string method, double mean, double std, int seeds) =>
        new(method, seeds, mean, std, null, mean, 1, 1, null, []);

    private static ComparisonResults Of(params MethodResult[] methods) =>
        new("d", "m", 1, null, methods, "", new Dictionary<string, string>(), "");

    [Fact]
    public void One_seed_gap_within_the_test_set_error_is_called_noise()
    {
        // 0.84 vs 0.835 on 10,000 images: gap 0.5 pts, s.e. ≈ 0.52 pts.
        var line = Verdict.Describe(Of(Result("a", 0.835, 0, 1), Result("b", 0.84, 0, 1)), 10_000);
        Assert.StartsWith("b 84.00 % beats a 83.50 % by 0.50 pts", line);
        Assert.Contains("inside the noise", line);
        Assert.Contains("one seed", line);
    }

    [Fact]
    public void Three_seeds_with_a_clear_gap_are_outside_the_noise()
    {
        var line = Verdict.Describe(Of(Result("a", 0.82, 0.002, 3), Result("b", 0.845, 0.003, 3)), 10_000);
        Assert.Contains("outside the noise", line);
        Assert.Contains("standard error over seeds", line);
    }
}
