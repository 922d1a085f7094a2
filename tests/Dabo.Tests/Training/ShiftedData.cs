namespace Dabo.Tests.Training;

/// <summary>
/// A synthetic task for learned translation: four 6×6 glyphs on a 16×16 canvas. Training images are
/// centred (±1 pixel of jitter); test images are the same glyphs shifted by up to ±4 pixels.
/// </summary>
internal static class ShiftedData
{
    public const int Size = 16;
    public const int Classes = 4;

    private static bool Glyph(int c, int y, int x) => c switch
    {
        0 => y is 2 or 3,                 // horizontal bar
        1 => x is 2 or 3,                 // vertical bar
        2 => x == y || x == y + 1,        // diagonal
        _ => (x is 0 or 5) || (y is 0 or 5), // square outline
    };

    public static void Write(string dir, int trainPerClass, int testPerClass, int maxTrainShift = 1, int maxTestShift = 4, int seed = 5)
    {
        var rng = new Random(seed);
        (byte[], byte[]) Make(int perClass, int maxShift)
        {
            int n = perClass * Classes;
            var pixels = new byte[n * Size * Size];
            var labels = new byte[n];
            for (int i = 0; i < n; i++)
            {
                int c = i % Classes;
                labels[i] = (byte)c;
                int dy = rng.Next(-maxShift, maxShift + 1);
                int dx = rng.Next(-maxShift, maxShift + 1);
                for (int y = 0; y < Size; y++)
                {
                    for (int x = 0; x < Size; x++)
                    {
                        int gy = y - 5 - dy;
                        int gx = x - 5 - dx;
                        bool on = gy is >= 0 and < 6 && gx is >= 0 and < 6 && Glyph(c, gy, gx);
                        pixels[(i * Size * Size) + (y * Size) + x] = (byte)Math.Clamp((on ? 220 : 20) + rng.Next(-20, 21), 0, 255);
                    }
                }
            }
            return (pixels, labels);
        }
        var train = Make(trainPerClass, maxTrainShift);
        var test = Make(testPerClass, maxTestShift);
        TestFiles.WriteIdxDataset(dir, Size, train, test);
    }
}
