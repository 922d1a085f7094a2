using Dabo.Data;

namespace Dabo.Tests.Data;

public class StratifiedTests
{
    private static readonly string[] Names = ["a", "b", "c", "d"];

    // 4 classes with unequal sizes: 30, 25, 20, 40.
    private static long[] Labels() =>
        Enumerable.Repeat(0L, 30).Concat(Enumerable.Repeat(1L, 25)).Concat(Enumerable.Repeat(2L, 20)).Concat(Enumerable.Repeat(3L, 40))
            .OrderBy(l => (l * 7919) % 13).ToArray();

    [Fact]
    public void Subset_is_balanced_deterministic_and_seed_dependent()
    {
        var labels = Labels();
        var a = Stratified.Subset(labels, Names, 40, seed: 1);
        var b = Stratified.Subset(labels, Names, 40, seed: 1);
        var c = Stratified.Subset(labels, Names, 40, seed: 2);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(40, a.Distinct().Count());
        Assert.All(a.GroupBy(i => labels[i]), g => Assert.Equal(10, g.Count()));
    }

    [Theory]
    [InlineData(42, "multiple of the 4 classes")]
    [InlineData(200, "larger than")]
    [InlineData(100, "has only 20")]
    [InlineData(0, "positive")]
    public void Subset_errors_name_the_flag(int size, string expected)
    {
        var e = Assert.Throws<DaboException>(() => Stratified.Subset(Labels(), Names, size, 0));
        Assert.StartsWith("--train-size", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Split_is_stratified_disjoint_and_complete()
    {
        var labels = Labels();
        var (train, val) = Stratified.Split(labels, 4, 0.2, seed: 3);

        Assert.Empty(train.Intersect(val));
        Assert.Equal(Enumerable.Range(0, labels.Length).Select(i => (long)i), train.Concat(val).Order());
        var valPerClass = val.GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(6, valPerClass[0]);
        Assert.Equal(5, valPerClass[1]);
        Assert.Equal(4, valPerClass[2]);
        Assert.Equal(8, valPerClass[3]);
        Assert.Equal(val, Stratified.Split(labels, 4, 0.2, seed: 3).Validation);
        Assert.NotEqual(val, Stratified.Split(labels, 4, 0.2, seed: 4).Validation);
    }

    [Fact]
    public void Zero_ratio_keeps_everything_for_training()
    {
        var (train, val) = Stratified.Split(Labels(), 4, 0, seed: 3);
        Assert.Empty(val);
        Assert.Equal(115, train.Length);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Bad_ratio_is_an_error(double ratio)
    {
        var e = Assert.Throws<DaboException>(() => Stratified.Split(Labels(), 4, ratio, 0));
        Assert.StartsWith("--val-ratio", e.Message);
    }
}
