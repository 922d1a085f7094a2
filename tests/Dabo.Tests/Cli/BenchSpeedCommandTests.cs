using System.Text.Json;

namespace Dabo.Tests.Cli;

[Collection("global-rng")]
public class BenchSpeedCommandTests
{
    [Fact]
    public void Json_prints_one_object_per_model_with_the_expected_keys()
    {
        var (code, output, err) = CliRunner.Run("bench", "speed", "--model", "small-cnn", "--batch", "4", "--steps", "2", "--warmup", "1",
            "--image-size", "16", "--soak-steps", "0", "--threads", "1", "--no-data-path", "--json");

        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var json = JsonDocument.Parse(Assert.Single(lines));
        var root = json.RootElement;
        Assert.Equal("small-cnn", root.GetProperty("model").GetString());
        Assert.Equal(4, root.GetProperty("batch").GetInt32());
        Assert.Equal(2, root.GetProperty("steps").GetInt32());
        foreach (var key in new[] { "plain_ms", "bilevel_k1_exact_ms", "bilevel_k1_fd_ms", "bilevel_k2_exact_ms", "ratio_k1_exact", "ratio_k1_fd", "images_per_second_plain", "peak_rss_mb" })
        {
            Assert.True(root.GetProperty(key).GetDouble() > 0, key);
        }
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rss_growth_percent").ValueKind);
    }

    [Theory]
    [InlineData("--batch", "0")]
    [InlineData("--steps", "0")]
    [InlineData("--model", "nonet")]
    [InlineData("--threads", "-2")]
    public void Bad_flag_exits_2_with_one_line(string flag, string value)
    {
        var (code, _, err) = CliRunner.Run("bench", "speed", flag, value, "--soak-steps", "0", "--json");

        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(flag == "--model" ? "nonet" : flag, err, StringComparison.Ordinal);
    }
}
