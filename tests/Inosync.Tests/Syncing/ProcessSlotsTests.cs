using Inosync.Processes;

namespace Inosync.Tests.Syncing;

public sealed class ProcessSlotsTests
{
    [Fact]
    public async Task Waiters_are_served_first_come_first_served()
    {
        using var slots = new ProcessSlots(1);
        IDisposable first = await slots.AcquireAsync(CancellationToken.None);
        var served = new List<string>();
        Task a = TakeAndRecordAsync("a");
        Task b = TakeAndRecordAsync("b");
        Task c = TakeAndRecordAsync("c");
        slots.InUse.Should().Be(1);

        first.Dispose();
        await Task.WhenAll(a, b, c).WaitAsync(TimeSpan.FromSeconds(10));

        served.Should().Equal("a", "b", "c");
        slots.InUse.Should().Be(0);

        async Task TakeAndRecordAsync(string name)
        {
            using IDisposable slot = await slots.AcquireAsync(CancellationToken.None);
            lock (served)
            {
                served.Add(name);
            }
        }
    }

    [Fact]
    public async Task A_lease_frees_its_slot_once_however_often_it_is_disposed()
    {
        using var slots = new ProcessSlots(2);
        IDisposable lease = await slots.AcquireAsync(CancellationToken.None);
        lease.Dispose();
        lease.Dispose();

        slots.InUse.Should().Be(0);
        (await slots.AcquireAsync(CancellationToken.None)).Should().NotBeNull();
        (await slots.AcquireAsync(CancellationToken.None)).Should().NotBeNull();
        slots.InUse.Should().Be(2);
    }

    [Fact]
    public async Task Try_acquire_gives_null_when_cancelled_and_a_lease_without_a_cap()
    {
        using var slots = new ProcessSlots(1);
        using IDisposable held = await slots.AcquireAsync(CancellationToken.None);
        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        (await ProcessSlots.TryAcquireAsync(slots, cancelled.Token)).Should().BeNull();
        slots.InUse.Should().Be(1);
        using IDisposable? uncapped = await ProcessSlots.TryAcquireAsync(null, CancellationToken.None);
        uncapped.Should().NotBeNull();
    }

    [Fact]
    public void The_default_suits_the_core_count() =>
        ProcessSlots.DefaultCount.Should().Be(Math.Max(4, 2 * Environment.ProcessorCount));
}
