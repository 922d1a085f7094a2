namespace Dabo.Tests.Training;

/// <summary>A tiny separable IDX dataset: class c has a bright bar at row 2c (plus noise).</summary>
internal static class TrainingData
{
    public const int Size = 12;
    public const int Classes = 4;

    public static void WriteSeparable(string dir, int train = 200, int test = 80, int seed = 1)
    {
        var rng = new Random(seed);
        (byte[], byte[]) Make(int n)
        {
            var pixels = new byte[n * Size * Size];
            var labels = new byte[n];
            for (int i = 0; i < n; i++)
            {
                int c = i % Classes;
                labels[i] = (byte)c;
                for (int y = 0; y < Size; y++)
                {
                    for (int x = 0; x < Size; x++)
                    {
                        bool bar = y == (2 * c) + 2 || y == (2 * c) + 3;
                        pixels[(i * Size * Size) + (y * Size) + x] = (byte)Math.Clamp((bar ? 200 : 30) + rng.Next(-25, 26), 0, 255);
                    }
                }
            }
            return (pixels, labels);
        }
        TestFiles.WriteIdxDataset(dir, Size, Make(train), Make(test));
    }
}
