namespace Inosync.Testing;

/// <summary>Polls a condition until it holds or a deadline passes. For convergence, never as a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<bool> TrueWithinAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
