using Dabo.Data;
using Dabo.IO;
using Dabo.Tests.Cli;

namespace Dabo.Tests.Data;

/// <summary>A damaged decoded-image cache is rebuilt silently, as its documentation promises.</summary>
public class DecodedCacheTests
{
    public DecodedCacheTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData("4000 random bytes")]
    [InlineData("starts with ff ff ff ff")]
    [InlineData("one bit flipped")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("bad header")]
    [InlineData("huge shape")]
    [InlineData("negative class count")]
    public void Damaged_cache_is_rebuilt(string damage)
    {
        using var dir = new TempDirectory();
        var archive = dir.Combine("images.tar.gz");
        var cache = dir.Combine("cache");
        TestFiles.WriteTar(archive, TestFiles.ImageFolderFiles(), gzip: true);
        using (DatasetLoader.Load(archive, cache))
        {
        }
        var cacheFile = DecodedCache.PathFor(cache, archive);
        string fingerprint = SourceFiles.Fingerprint(archive);
        // The last three are well-formed files (valid checksum) whose content is wrong.
        void Rewrite(string magic, int classes, int[] shape) => ChecksummedFile.Write(cacheFile, w =>
        {
            w.Write(magic);
            w.Write(fingerprint);
            w.Write(classes);
            for (int i = 0; i < Math.Max(0, classes); i++)
            {
                w.Write($"class{i}");
            }
            foreach (int d in shape)
            {
                w.Write(d);
            }
            w.Write(new byte[64]);
        });
        switch (damage)
        {
            case "bad header":
                Rewrite("DABO-DECODED-CACHE-v0", 3, [12, 3, 8, 8]);
                break;
            case "huge shape":
                Rewrite("DABO-DECODED-CACHE-v1", 3, [int.MaxValue, int.MaxValue, 8, 8]);
                break;
            case "negative class count":
                Rewrite("DABO-DECODED-CACHE-v1", -5, [12, 3, 8, 8]);
                break;
            default:
                DamagedFilesTests.Damage(cacheFile, damage);
                break;
        }
        Assert.Null(DecodedCache.TryLoad(cacheFile, archive, fingerprint, DatasetFormat.ImageFolder));

        using (var rebuilt = DatasetLoader.Load(archive, cache))
        {
            Assert.Equal(12, rebuilt.Train.Count);
            Assert.Equal(["class0", "class1", "class2"], rebuilt.ClassNames);
        }
        using var cached = DecodedCache.TryLoad(cacheFile, archive, fingerprint, DatasetFormat.ImageFolder);
        Assert.NotNull(cached); // rewritten intact
        Assert.Empty(Directory.GetFiles(cache, "*.tmp"));
    }
}
