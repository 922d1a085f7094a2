using System.Text.Json;

namespace Dabo.Tests.Cli;

public class DataCommandTests
{
    [Fact]
    public void Json_summary_of_a_generated_image_folder()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles());
        var (code, output, err) = CliRunner.Run("data", dir.Combine("data"), "--json", "--cache-dir", dir.Combine("cache"));

        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("image-folder", root.GetProperty("format").GetString());
        Assert.Equal(12, root.GetProperty("train").GetInt32());
        Assert.Equal(6, root.GetProperty("test").GetInt32());
        Assert.Equal(3, root.GetProperty("classes").GetArrayLength());
        Assert.Equal([3, 8, 8], root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Val_split_is_shown_and_image_size_resizes()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles(valPerClass: 2));
        var (code, output, err) = CliRunner.Run("data", dir.Combine("data"), "--json", "--image-size", "16", "--cache-dir", dir.Combine("cache"));

        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(12, root.GetProperty("train").GetInt32());
        Assert.Equal(6, root.GetProperty("val").GetInt32());
        Assert.Equal([2, 2, 2], root.GetProperty("val_per_class").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([3, 16, 16], root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));

        var (code2, table, err2) = CliRunner.Run("data", dir.Combine("data"), "--cache-dir", dir.Combine("cache"));
        Assert.True(code2 == 0, err2);
        Assert.Contains("val images", table);
        Assert.Contains("val", table.Split('\n').First(l => l.Contains("label", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_val_the_summary_has_no_val_split()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles());
        var (code, output, err) = CliRunner.Run("data", dir.Combine("data"), "--json", "--cache-dir", dir.Combine("cache"));
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("val").ValueKind);
    }

    [Fact]
    public void Missing_path_exits_2_with_one_line_naming_it()
    {
        using var dir = new TempDirectory();
        var missing = dir.Combine("missing");
        var (code, _, err) = CliRunner.Run("data", missing);

        Assert.Equal(2, code);
        Assert.Contains(missing, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Corrupt_idx_exits_2_naming_the_file()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, gzip: false);
        File.WriteAllBytes(dir.Combine("train-images-idx3-ubyte"), [1, 2, 3, 4, 5]);
        var (code, _, err) = CliRunner.Run("data", dir.Path);

        Assert.Equal(2, code);
        Assert.Contains("train-images-idx3-ubyte", err);
    }

    [Fact]
    public void Unknown_flag_exits_2()
    {
        var (code, _, err) = CliRunner.Run("data", "fashion-mnist", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("bogus", err);
    }
}
